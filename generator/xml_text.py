"""Text and attribute values escaped for XML, as `xml.sax.saxutils` escapes them (the same
output), without its import: it loads `urllib.request` and with it `http.client`, `email`
and `ssl` (about 20 ms of CPU in each process that writes a file)."""

from __future__ import annotations

from collections.abc import Mapping

_NO_ENTITIES: Mapping[str, str] = {}
_ATTRIBUTE_ENTITIES = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def escape(data: str, entities: Mapping[str, str] = _NO_ENTITIES) -> str:
    """`&`, `<` and `>` escaped, then each key of `entities` replaced by its value."""
    data = data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for key, value in entities.items():
        data = data.replace(key, value)
    return data


def quoteattr(data: str, entities: Mapping[str, str] = _NO_ENTITIES) -> str:
    """An attribute value escaped (line breaks and tabs as character references too) and
    quoted: in double quotes, or single ones when it holds a double quote (and no single
    one; with both, each `"` is written `&quot;`)."""
    data = escape(data, {**entities, **_ATTRIBUTE_ENTITIES})
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    return '"' + data.replace('"', "&quot;") + '"'
