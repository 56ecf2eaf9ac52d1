"""The command line: typer turns arguments into calls of the core and presents the results."""
