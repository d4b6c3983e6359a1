"""bulletin: a year of structured data -> a print-ready PDF and an editable Word bulletin."""


def __getattr__(name: str) -> str:
    """`__version__`: the installed package's version, from its metadata (one number, in
    pyproject.toml), read only when asked for."""
    if name == "__version__":
        from importlib.metadata import version

        return version("bulletin")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
