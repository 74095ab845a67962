"""Company-name normalisation for duplicate matching: 'Alpine Pharma GmbH' == 'ALPINE-PHARMA'."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from planner.domain.countries import country_name

# Legal-form words dropped from the end of a name (after punctuation is folded to spaces).
_LEGAL_SUFFIXES = {
    "gmbh",
    "ag",
    "kg",
    "gmbh co kg",
    "gmbh and co kg",
    "co kg",
    "and co kg",
    "and co",
    "se",
    "ltd",
    "limited",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "llc",
    "llp",
    "lp",
    "plc",
    "sa",
    "sas",
    "sarl",
    "sl",
    "spa",
    "srl",
    "bv",
    "nv",
    "oy",
    "ab",
    "as",
    "aps",
    "kk",
    "pte",
    "pvt",
    "private",
    "pty",
    "sdn bhd",
    "bhd",
    "kft",
    "sp z o o",
    "sp z oo",  # "Sp. z o.o." once dotted letters are joined
    "s r o",
    "sro",
    "a s",
    "d o o",
    "doo",
    "ltda",
    "cv",
}
_MULTI = sorted((s.split() for s in _LEGAL_SUFFIXES), key=len, reverse=True)
_SUFFIX_WORDS = {tuple(words) for words in _MULTI}
_SUFFIX_LENGTHS = sorted({len(words) for words in _MULTI}, reverse=True)
# A name whose last word ends no suffix keeps all its words: one set lookup settles most names.
_SUFFIX_ENDS = {words[-1] for words in _MULTI}


_DOTTED_RUN = re.compile(r"\b([a-z])\.(?=[a-z]\.)")
_DOTTED = re.compile(r"\b([a-z])\.")
# Letters and digits of every script survive (a Chinese name must stay searchable).
_NON_ALNUM = re.compile(r"[\W_]+")


# Letters that decomposition leaves alone, spelt the way ASCII exports write them ("Łódź" is
# "Lodz" in an FDA file, "Straße" is "Strasse").
_SPELT_OUT = str.maketrans(
    {"ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o",
     "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i", "þ": "th", "Þ": "th"}
)  # fmt: skip
# German umlauts written out ("Mueller" for "Müller"): after a consonant, "ae", "oe" and "ue"
# count as the plain vowel in the matching key, so Müller, Mueller and Muller are one name.
_WRITTEN_UMLAUT = re.compile(r"(?<=[b-df-hj-np-tv-z])([aou])e")
# Apostrophes join rather than split: "Dr. Reddy's" and "Dr Reddys" are one name, as are
# "L'Oréal" and "LOreal". The acute accent goes too: files use it as an apostrophe.
_APOSTROPHES = str.maketrans("", "", "'\u2018\u2019\u02bc\u0060\u00b4")


def fold(text: str) -> str:
    """Lower case, accents and apostrophes removed, other punctuation to single spaces."""
    # Imports call this for every row (name key, search text): NFKD and the per-character
    # combining filter are most of the cost and change nothing in ASCII text, so skip them there.
    if not text.isascii():
        text = text.translate(_APOSTROPHES)
        text = unicodedata.normalize("NFKD", text.translate(_SPELT_OUT))
        text = "".join(c for c in text if not unicodedata.combining(c))
    elif text.replace(" ", "").isalnum():
        # Only letters, digits and spaces ("Alpine Pharma 0042", most cities): nothing to
        # replace, and split() collapses exactly the runs the regex below would.
        return " ".join(text.lower().split())
    elif "'" in text or "`" in text:
        text = text.translate(_APOSTROPHES)
    text = text.lower().replace("&", " and ")
    # Collapse dotted abbreviations first so "S.A." and "Co." become "sa" and "co".
    if "." in text and _DOTTED.search(text):  # "Co., Ltd." has dots but no dotted letters
        text = _DOTTED_RUN.sub(r"\1", text)
        text = _DOTTED.sub(r"\1", text)
    # Runs of anything else become one space, so no space is left to collapse but at the ends.
    return _NON_ALNUM.sub(" ", text).strip()


def name_key(name: str) -> str:
    return folded_name_key(fold(name))


def folded_name_key(folded: str) -> str:
    """name_key of a name already folded (fold is idempotent, so this is name_key(folded));
    lets an import that needs both the folded name and its key fold once."""
    if "e" in folded:
        folded = _WRITTEN_UMLAUT.sub(r"\1", folded)
    words = folded.split()
    changed = True
    while changed and len(words) > 1 and words[-1] in _SUFFIX_ENDS:
        changed = False
        # Longest suffix first, as a set lookup per length: imports run this for every row.
        for size in _SUFFIX_LENGTHS:
            if len(words) > size and tuple(words[-size:]) in _SUFFIX_WORDS:
                words = words[:-size]
                changed = True
                break
    return " ".join(words)


def search_text_for(
    name: str, legal_name: str, country: str, city: str, capabilities: Iterable[str]
) -> str:
    """What the supplier search looks in: names, country code and name, city, capabilities."""
    parts = [name, legal_name, country, country_name(country), city]
    parts += capabilities
    return fold(" | ".join(p for p in parts if p))
