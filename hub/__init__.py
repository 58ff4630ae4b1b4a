"""The regional hub: a Django web app over generator.collection and its store.

Every authority in a region uploads its return and gets the region's benchmark back. The hub
stores returns through `generator.collection` (collect, Store) in the same database the CLI
uses, so a return collected by either is visible to both; Django's own tables (users, roles,
rounds, audit log) sit beside the store's. See docs/hub.md.
"""
