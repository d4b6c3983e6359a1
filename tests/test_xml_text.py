"""Our XML escaping gives exactly what `xml.sax.saxutils` gives (which the writers no longer
import: it loads urllib, http, email and ssl)."""

from __future__ import annotations

from xml.sax import saxutils

from hypothesis import given
from hypothesis import strategies as st

from generator.xml_text import escape, quoteattr

TEXT = st.text(alphabet=st.sampled_from("ab &<>\"'\n\r\t;#é€"), max_size=30) | st.text(max_size=30)
ENTITIES = st.dictionaries(
    st.text(alphabet=st.sampled_from("a\"'&;<\n"), min_size=1, max_size=3),
    st.text(alphabet=st.sampled_from("&quot;#x27"), max_size=8),
    max_size=3,
)


@given(TEXT, ENTITIES)
def test_escape_is_saxutils_escape(text: str, entities: dict[str, str]) -> None:
    assert escape(text) == saxutils.escape(text)
    assert escape(text, entities) == saxutils.escape(text, entities)


@given(TEXT, ENTITIES)
def test_quoteattr_is_saxutils_quoteattr(text: str, entities: dict[str, str]) -> None:
    assert quoteattr(text) == saxutils.quoteattr(text)
    assert quoteattr(text, entities) == saxutils.quoteattr(text, entities)


def test_quotes_each_way() -> None:
    assert quoteattr('say "hi"') == "'say \"hi\"'"
    assert quoteattr('it\'s "x"') == '"it\'s &quot;x&quot;"'
    assert quoteattr("a\nb\t<c>") == '"a&#10;b&#9;&lt;c&gt;"'
    assert escape('"T&C"', {'"': "&quot;"}) == "&quot;T&amp;C&quot;"
