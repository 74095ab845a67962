"""Company-name normalisation for duplicate matching: 'Alpine Pharma GmbH' == 'ALPINE-PHARMA'."""

from __future__ import annotations

import re
import unicodedata

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
    "s r o",
    "a s",
    "d o o",
    "ltda",
    "cv",
}
_MULTI = sorted((s.split() for s in _LEGAL_SUFFIXES), key=len, reverse=True)


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation to single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("&", " and ")
    # Collapse dotted abbreviations first so "S.A." and "Co." become "sa" and "co".
    text = re.sub(r"\b([a-z])\.(?=[a-z]\.)", r"\1", text)
    text = re.sub(r"\b([a-z])\.", r"\1", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def name_key(name: str) -> str:
    words = fold(name).split()
    changed = True
    while changed and len(words) > 1:
        changed = False
        for suffix in _MULTI:
            if len(words) > len(suffix) and words[-len(suffix) :] == suffix:
                words = words[: -len(suffix)]
                changed = True
                break
    return " ".join(words)
