"""Private steps of the PDF reader; the public entry point is ``importing.pdf``."""
