"""bulletin: a year of structured data -> a print-ready PDF and an editable Word bulletin."""

__version__ = "0.1.0"
