"""Country names and codes to ISO 3166 alpha-2, through pycountry."""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import lru_cache

import pycountry

# Everyday spellings that pycountry's fuzzy search gets wrong or does not know.
_ALIASES = {
    "usa": "US",
    "us": "US",
    "u s a": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "south korea": "KR",
    "korea": "KR",
    "korea south": "KR",
    "korea republic of": "KR",
    "republic of korea": "KR",
    "north korea": "KP",
    "russia": "RU",
    "czech republic": "CZ",
    "holland": "NL",
    "the netherlands": "NL",
    "taiwan": "TW",
    "iran": "IR",
    "vietnam": "VN",
    "turkey": "TR",
    "deutschland": "DE",
    "schweiz": "CH",
    "suisse": "CH",
    "espana": "ES",
    "italia": "IT",
    "p r china": "CN",
    "pr china": "CN",
    "peoples republic of china": "CN",
    "china mainland": "CN",
    "hong kong": "HK",
    "macau": "MO",
    # Seen in supplier lists and registry exports (added for the supplier import).
    "united states of america usa": "US",
    "u s": "US",
    "britain": "GB",
    "s korea": "KR",
    "korea rep": "KR",
    "korea rep of": "KR",
    "mainland china": "CN",
    "prc": "CN",
    "china prc": "CN",
    "uae": "AE",
    "u a e": "AE",
    "republic of ireland": "IE",
    "eire": "IE",
    "ivory coast": "CI",
    "laos": "LA",
    "brasil": "BR",
    "mexique": "MX",
    "osterreich": "AT",
    "oesterreich": "AT",
    "nederland": "NL",
    "belgique": "BE",
    "belgie": "BE",
    "danmark": "DK",
    "sverige": "SE",
    "norge": "NO",
    "suomi": "FI",
    "polska": "PL",
    "magyarorszag": "HU",
    "ceska republika": "CZ",
    "slovenija": "SI",
    "hrvatska": "HR",
    "france metropolitaine": "FR",
    "allemagne": "DE",
    "grossbritannien": "GB",
    "grande bretagne": "GB",
    "germany federal republic of": "DE",
    "federal republic of germany": "DE",
    "viet nam": "VN",
    "turkiye": "TR",
    "czech rep": "CZ",
    "czech republic the": "CZ",
    "hong kong sar": "HK",
    "hong kong sar china": "HK",
    "hong kong china": "HK",
    "hksar": "HK",
    "macao sar": "MO",
    "macau sar": "MO",
    "macao sar china": "MO",
    "macau china": "MO",
    "lao pdr": "LA",
    "taiwan roc": "TW",
    "taiwan province of china": "TW",
    "chinese taipei": "TW",
    "burma": "MM",
    "swaziland": "SZ",
    "macedonia": "MK",
    "fyrom": "MK",
    "cape verde": "CV",
    "east timor": "TL",
    "vatican": "VA",
    "vatican city": "VA",
    "syria": "SY",
    "palestine": "PS",
    "the gambia": "GM",
    "the bahamas": "BS",
    "congo kinshasa": "CD",
    "drc": "CD",
    "dr congo": "CD",
    "congo brazzaville": "CG",
    "korea dem rep": "KP",
    "slovak republic": "SK",
    "kyrgyz republic": "KG",
    "brunei": "BN",
}


# Country names in the languages of European supplier lists ("Frankreich", "Allemagne",
# "Paesi Bassi"), from the translations pycountry ships. A name two languages give to two
# different countries is left out.
_LANGUAGES = ("de", "fr", "es", "it", "nl", "pt", "sv", "da", "pl")


@lru_cache(maxsize=1)
def _translated() -> dict[str, str]:
    names: dict[str, str] = {}
    clashes: set[str] = set()
    for language in _LANGUAGES:
        try:
            translation = gettext.translation(
                "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
            )
        except OSError:  # a build without that language: the others still count
            continue
        for country in pycountry.countries:
            for attribute in ("name", "official_name", "common_name"):
                english = getattr(country, attribute, "")
                if not english:
                    continue
                folded = _fold(translation.gettext(english))
                if names.setdefault(folded, country.alpha_2) != country.alpha_2:
                    clashes.add(folded)
    for folded in clashes:
        del names[folded]
    return names


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9]+", " ", text.lower())
    return text.strip()


@lru_cache(maxsize=4096)
def to_alpha2(value: str) -> str | None:
    """ISO alpha-2 code for a country name, alpha-2 or alpha-3 code; None when not recognised."""
    raw = value.strip()
    if not raw:
        return None
    folded = _fold(raw)
    if folded in _ALIASES:
        return _ALIASES[folded]
    if len(raw) == 2 and raw.isalpha():
        found = pycountry.countries.get(alpha_2=raw.upper())
        return found.alpha_2 if found else None
    if len(raw) == 3 and raw.isalpha():
        found = pycountry.countries.get(alpha_3=raw.upper())
        if found:
            return found.alpha_2
    for country in pycountry.countries:
        names = {
            country.name,
            getattr(country, "official_name", ""),
            getattr(country, "common_name", ""),
        }
        if folded in {_fold(n) for n in names if n}:
            return country.alpha_2
    # "Korea, Republic of" style: pycountry's own names carry the comma form.
    try:
        found = pycountry.countries.lookup(raw)
        return found.alpha_2
    except LookupError:
        return _translated().get(folded)


@lru_cache(maxsize=512)  # search text is rebuilt for every imported row
def country_name(alpha2: str) -> str:
    found = pycountry.countries.get(alpha_2=alpha2.upper()) if alpha2 else None
    if not found:
        return alpha2
    return getattr(found, "common_name", found.name)
