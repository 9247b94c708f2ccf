"""Private steps of the plain-text importer; the public entry point is ``importing.text``."""
