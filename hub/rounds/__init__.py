"""The hub's one app: collection rounds, returns, publication and the audit log."""
