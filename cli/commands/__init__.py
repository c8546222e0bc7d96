"""One module per command; each defines ``command`` (a click command), found by ``main``."""
