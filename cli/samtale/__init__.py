"""samtale: print-ready materials for development conversations (MUS, GRUS, LUS)."""

__version__ = "0.1.0"
