"""bulletin: a year of structured data -> a print-ready PDF and an editable Word bulletin."""

import os

__version__ = "0.1.0"

# The layout a build uses unless told otherwise; its files keep the plain names
# (iscm-highlights-2020.pdf), another layout's add its name (...-2020-large-print.pdf).
DEFAULT_LAYOUT = "iscm"

# pydantic otherwise scans every installed package for plug-ins when it builds the data
# models: a tenth of a second of `bulletin check` spent on nothing we use.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
