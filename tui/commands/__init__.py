"""Commands of the `accord` CLI, one module per command family; tui/cli.py names each command's
module and imports it only when needed. Each module imports alone (tests/tui/test_cli_imports.py)."""
