"""bulletin: a year of structured data -> a print-ready PDF and an editable Word bulletin."""

import os

__version__ = "0.1.0"

# pydantic otherwise scans every installed package for plug-ins when it builds the data
# models: a tenth of a second of `bulletin check` spent on nothing we use.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
