"""The ``posyandu-bot`` command line."""
