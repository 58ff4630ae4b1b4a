"""One module per CLI command group; each defines `register(subparsers)`.

The CLI discovers them, so adding a command never means editing a shared list.
"""
