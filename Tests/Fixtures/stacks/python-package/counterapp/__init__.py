"""counterapp: the counter page as a package, run with `python -m counterapp`."""

__version__ = "0.1.0"
