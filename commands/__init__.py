"""The command line's commands (``cli.py`` gathers them): the only package, with ``cli.py``, that imports click.

Each command parses its options, calls the service layer (``service``) and prints; nothing here orchestrates."""
