"""ReportLab's pattern for web addresses, compiled only when a text could match it.

generator/writers/pdf/deferred.py imports ReportLab with `uri_pat` (55-85 ms to compile)
deferred: a text without '://' cannot match it, and is answered without compiling it.
"""

from __future__ import annotations

import re
import subprocess
import sys

from reportlab.platypus import paragraph

from generator.writers.pdf import deferred

TEXTS = [
    "https://www.iom.int/iscm",
    "HTTPS://WWW.IOM.INT/ISCM/",
    "ftp://example.org",
    "http://192.168.0.1:8080/a?b#c",
    "mailto:someone@iom.int",
    "www.iom.int/iscm",
    "co-operation",
    "://",
    "a://b",
    "https://ﬁnancement.example/straße",
    "",
]


def test_the_deferred_pattern_matches_as_reportlabs_compiled() -> None:
    # ReportLab's own, deferred or not (another test module may have imported it first)
    pattern = deferred.UriPattern(paragraph.uri_pat.pattern, paragraph.uri_pat.flags)
    assert pattern.pattern.startswith(deferred.URI_START)
    compiled = re.compile(pattern.pattern, pattern.flags)
    # the scheme and '://' are not optional: the reason a text without them cannot match
    assert not compiled.match("www.iom.int/iscm") and "?" not in deferred.URI_START[-4:]
    for text in TEXTS:
        found, expected = pattern.match(text), compiled.match(text)
        assert (found and found.groups()) == (expected and expected.groups()), text


def test_without_a_scheme_nothing_is_compiled() -> None:
    fresh = deferred.UriPattern(paragraph.uri_pat.pattern, re.IGNORECASE)
    for text in TEXTS:
        if "://" not in text:
            assert fresh.match(text) is None
    assert fresh._compiled is None
    assert fresh.match("https://www.iom.int") is not None
    assert fresh._compiled is not None


def test_reportlab_splits_a_web_address_as_before() -> None:
    """ReportLab's own use: a web address broken at its slashes (compiled on demand)."""
    pairs = paragraph._uri_split_pairs("https://www.iom.int/en/iscm/highlights")
    assert pairs and pairs[0] == ("https://www.iom.int/en/iscm/", "highlights")
    assert paragraph._uri_split_pairs("co-operation") is None


def test_importing_the_pdf_writer_compiles_neither_pattern() -> None:
    code = (
        "import re, re._compiler as c\n"
        "seen = []\n"
        "original = c.compile\n"
        "c.compile = lambda p, f=0: (seen.append(p), original(p, f))[1]\n"
        "import generator.writers.pdf.writer\n"
        "from generator.writers.pdf.deferred import CJK, URI_START\n"
        "ours = [p for p in seen if isinstance(p, str) and (p.startswith(URI_START) or p == CJK)]\n"
        "import reportlab.platypus.paragraph as p\n"
        "print(len(ours), type(p.uri_pat).__name__)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "UriPattern"]
