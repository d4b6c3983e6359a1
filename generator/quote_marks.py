"""The quotation marks of a language, as CLDR gives them (its `delimiters`: quotationStart and
quotationEnd, alternateQuotationStart and alternateQuotationEnd).

babel does not carry CLDR's delimiters, so they are kept here: CLDR 42 as ICU 72 ships it
(`ulocdata_getDelimiter`), every locale whose marks differ from its parent's; a locale not
listed takes its parent's (`fr_BE` is `fr`), and a language not listed English's “ ” and ‘ ’.
tests/test_quote_marks.py compares every locale with ICU's data where ICU is installed.

French sets a no-break space inside its guillemets (« x »): the Imprimerie nationale's rule
(Lexique des règles typographiques) is a word space that never breaks, U+00A0, which is also
what Word's French AutoFormat types, and which every font has. A space typed before ; : ! ?
becomes that no-break space too, so that no line begins with the sign (the narrow one the
rules ask before ; ! ? is not set: the PDF's ReportLab would break a line at U+202F, and
the editor typed a word space).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class QuoteMarks:
    """A language's quotation marks: a quotation opens and closes with `primary`, one inside
    it (typed with single quotes) with `alternate`; `inside` is the space set between a
    guillemet and the words it quotes, and for the space typed before ; : ! ? ('' where none:
    French's is a no-break space)."""

    primary: tuple[str, str] = ("\u201c", "\u201d")
    alternate: tuple[str, str] = ("\u2018", "\u2019")
    inside: str = ""


ENGLISH = QuoteMarks()

_CLDR = {
    "„”‚’": "agq ff",
    "«»‹›": "am az_Cyrl fa fr_CH gsw jgo kkj mzn rm wae",
    "”“’‘": "ar ur",
    "«»“”": "ast bm br ca dyo el es eu ewo it kab kk mg mua nnh pt_AO pt_CH pt_CV pt_GQ pt_GW"
    " pt_LU pt_MO pt_MZ pt_PT pt_ST pt_TL sc sg sq ti",
    "«»„“": "bas be cv ky os ru sah uk",
    "„“„“": "bg lt",
    "„”‘’": "bs",
    "„“‚‘": "bs_Cyrl cs de dsb et hr hsb is ksh lb luy mk sk sl",
    "«»‘’": "dua ksf nb nn no rw",
    "“”‘’": "es_419 es_AR es_BO es_BR es_BZ es_CL es_CO es_CR es_CU es_DO es_EC es_GT es_HN"
    " es_MX es_NI es_PA es_PE es_PR es_PY es_SV es_UY es_VE ff_Adlm uz_Arab uz_Cyrl yue_Hans",
    "””’’": "fi he lag rn se sn sv yi",
    "«»«»": "fr hy yav",
    "«»”“": "fr_CA",
    "‘’“”": "fur ia ti_ER",
    "„”»«": "hu",
    "「」『』": "ja yue zh_Hant",
    "„“«»": "ka",
    "‘’‘’": "nl",
    "„”«»": "nmg pl ro",
    "«»„”": "shi zgh",
    "„“‘‘": "sr",
    "“”“”": "tk",
    "»«›‹": "ug",
    "“”’‘": "uz",
}
"""CLDR 42's marks (start, end, alternate start, alternate end) and the locales that have
them, where they differ from the parent locale's (the root's are English's)."""

MARKS = {locale: marks for marks, locales in _CLDR.items() for locale in locales.split()}

SPACED = {"fr": "\u00a0"}
"""The space each language sets inside its guillemets."""


@lru_cache(maxsize=16)
def quote_marks(locale: str) -> QuoteMarks:
    """The quotation marks of a locale as babel names it ('fr_CA', 'zh_Hant_TW', 'en_GB')."""
    parts = locale.replace("-", "_").split("_")
    found = next(
        (MARKS[key] for k in range(len(parts), 0, -1) if (key := "_".join(parts[:k])) in MARKS),
        None,
    )
    if found is None:
        return ENGLISH
    return QuoteMarks((found[0], found[1]), (found[2], found[3]), SPACED.get(parts[0], ""))
