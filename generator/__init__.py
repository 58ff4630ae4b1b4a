"""Workbooks out and in: collection templates, returns, scorecards, and the CLI."""
