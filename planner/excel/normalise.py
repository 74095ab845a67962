"""Cell values to supplier field values. A parser returns the value, None for "no value", or
raises CellProblem with a message for the user (the row is then imported without that value)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from planner.domain.cmo import is_email
from planner.domain.countries import to_alpha2
from planner.domain.enums import CAPABILITY_TAGS

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 1900-02-29
_MAX_SERIAL = 2_958_465  # 9999-12-31


class CellProblem(ValueError):
    pass


def cell_text(value: object) -> str:
    """What the user sees in the cell: numbers without a spurious '.0', dates in ISO form."""
    if value is None:
        return ""
    if value.__class__ is str:
        return value  # type: ignore[return-value]
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def text_value(value: object, limit: int, what: str) -> str | None:
    text = " ".join(cell_text(value).split()) if limit < 1000 else cell_text(value).strip()
    if not text:
        return None
    if len(text) > limit:
        raise CellProblem(f"{what} is longer than {limit} characters; left out.")
    return text


# -- identifiers ----------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s\-./]")


def identifier(value: object, what: str, width: int | None = None) -> str | None:
    """Digits kept as text. Numeric cells lose leading zeros in Excel, so a DUNS number (always
    nine digits) read from a number is padded back; text keeps its zeros as typed."""
    if isinstance(value, bool):
        raise CellProblem(f"{what} '{cell_text(value)}' is not a number; left out.")
    if isinstance(value, (int, float)):
        if value < 0 or (isinstance(value, float) and not value.is_integer()):
            raise CellProblem(f"{what} '{cell_text(value)}' is not a whole number; left out.")
        digits = str(int(value))
        if width and len(digits) < width:
            digits = digits.zfill(width)
    elif value.__class__ is str and value.isascii() and value.isdigit():
        digits = value  # the common case, without the regexes below
    else:
        # "'0012345": Excel's mark for "keep this as text", pasted along into a CSV.
        text = cell_text(value).strip().removeprefix("'")
        if re.fullmatch(r"\d+\.0+", text):  # a number that went through text once
            text = text.split(".")[0]
        text = _from_scientific(text, what)
        digits = _SEPARATORS.sub("", text)
        if not digits.isdigit() or not digits.isascii():
            raise CellProblem(f"{what} '{text}' may hold digits only; left out.")
    if width and width - 2 <= len(digits) < width:
        # A DUNS number saved through Excel as CSV loses its leading zeros like a number.
        digits = digits.zfill(width)
    if not digits.strip("0"):
        return None  # "0", "0000000": placeholders for "none"
    if width and len(digits) != width:
        raise CellProblem(f"{what} '{digits}' should have {width} digits; left out.")
    if len(digits) > 20:
        raise CellProblem(f"{what} '{digits}' is longer than 20 digits; left out.")
    return digits


_SCIENTIFIC = re.compile(r"(\d)(?:\.(\d+))?[eE]\+?(\d{1,2})")


def _from_scientific(text: str, what: str) -> str:
    """'3.001234582E+09' as a CSV shows a long number: its digits when all are there; a
    problem when Excel rounded them away ('3.00123E+09')."""
    match = _SCIENTIFIC.fullmatch(text)
    if not match:
        return text
    mantissa = match[1] + (match[2] or "")
    exponent = int(match[3])
    if len(mantissa) < exponent + 1:
        raise CellProblem(f"{what} '{text}' lost its last digits to scientific notation; left out.")
    if mantissa[exponent + 1 :].strip("0"):
        raise CellProblem(f"{what} '{text}' is not a whole number; left out.")
    return mantissa[: exponent + 1]


# -- dates ----------------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "januar", "janv"),
            ("feb", "february", "februar", "fev", "fevr"),
            ("mar", "march", "marz", "maerz", "mars"),
            ("apr", "april", "avr", "avril"),
            ("may", "mai"),
            ("jun", "june", "juni", "juin"),
            ("jul", "july", "juli", "juil", "juillet"),
            ("aug", "august", "aout"),
            ("sep", "sept", "september", "septembre"),
            ("oct", "october", "okt", "oktober", "octobre"),
            ("nov", "november", "novembre"),
            ("dec", "december", "dez", "dezember", "decembre"),
        ],
        start=1,
    )
    for name in names
}
_ISO = re.compile(
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?"
)
SLASH_DATE = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?(?: ?[AP]M)?)?", re.I
)
_DOT_DASH = re.compile(r"(\d{1,2})([.-])(\d{1,2})\2(\d{4}|\d{2})")
_DAY_MONTH = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?[\s\-./]+([^\W\d_]{3,9})\.?[\s\-./,]+(\d{4}|\d{2})"
)
_MONTH_DAY = re.compile(r"([^\W\d_]{3,9})\.?[\s\-]+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")


def date_value(value: object, what: str) -> date | None:
    """Real dates, Excel serial numbers, or text: ISO, MM/DD/YYYY (FDA exports; read day-first
    only when the first number is over 12), DD.MM.YYYY, DD-MM-YYYY, DD-Mon-YYYY, '5 March 2025',
    'March 5, 2025'. Two-digit years 00-69 are 20xx."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellProblem(f"{what} '{cell_text(value)}' is not a date; left out.")
    if isinstance(value, (int, float)):
        return _serial(value, what)
    text = cell_text(value).strip()
    if not text:
        return None
    parsed = _parse_date_text(text)
    if parsed is None:
        raise CellProblem(
            f"{what} '{text}' is not a date we can read (use e.g. 2025-03-05); left out."
        )
    return parsed


@lru_cache(maxsize=8192)
def _parse_date_text(text: str) -> date | None:
    try:
        if m := _ISO.fullmatch(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := SLASH_DATE.fullmatch(text):
            first, second, year = int(m[1]), int(m[2]), two_digit_year(m[3])
            return date(year, second, first) if first > 12 else date(year, first, second)
        if m := _DOT_DASH.fullmatch(text):
            first, second, year = int(m[1]), int(m[3]), two_digit_year(m[4])
            return date(year, first, second) if second > 12 else date(year, second, first)
        folded = _fold_month(text)
        if (m := _DAY_MONTH.fullmatch(folded)) and m[2] in _MONTHS:
            return date(two_digit_year(m[3]), _MONTHS[m[2]], int(m[1]))
        if (m := _MONTH_DAY.fullmatch(folded)) and m[1] in _MONTHS:
            return date(int(m[3]), _MONTHS[m[1]], int(m[2]))
        if _SERIAL.fullmatch(text):
            return _serial(float(text), "")
    except (ValueError, CellProblem):
        return None
    return None


def _fold_month(text: str) -> str:
    return text.lower().replace("ä", "a").replace("é", "e").replace("û", "u").replace("è", "e")


def two_digit_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


_MIN_SERIAL = 10_000  # 1927-05-18: smaller numbers in a date column are counts or codes


def _serial(number: float, what: str) -> date:
    if float(number).is_integer() and 1900 <= number <= 2100:
        raise CellProblem(f"{what} {cell_text(number)} is a year, not a date; left out.")
    if not _MIN_SERIAL <= number <= _MAX_SERIAL:
        raise CellProblem(f"{what} {cell_text(number)} is not a date; left out.")
    return _EXCEL_EPOCH + timedelta(days=int(number))


# -- countries, emails, lists, outcomes --------------------------------------------------------

_TRAILING_CODE = re.compile(r"\(\s*([A-Za-z]{2,3})\s*\)\s*$")


@lru_cache(maxsize=4096)
def _country(text: str) -> str | None:
    code = to_alpha2(text)
    if code:
        return code
    if m := _TRAILING_CODE.search(text):  # "Korea, South (KOR)"
        return to_alpha2(m[1]) or to_alpha2(text[: m.start()])
    return None


def country_value(value: object, what: str = "Country") -> str | None:
    text = " ".join(cell_text(value).split())
    if not text:
        return None
    code = _country(text)
    if code is None:
        raise CellProblem(
            f"{what} '{text}' is not a country we know (use a name or ISO code); left out."
        )
    return code


def country_from_address(address: str) -> str | None:
    """FDA registry addresses end in the ISO alpha-3 code: '... Freiburg, 79108 (DEU)'."""
    m = _TRAILING_CODE.search(address)
    return to_alpha2(m[1]) if m and len(m[1]) == 3 else None


_ANGLE_EMAIL = re.compile(r"<([^<>\s]+@[^<>\s]+)>")
_EMAIL_SEPARATORS = re.compile(r"[;,\s]+")


def email_value(value: object, what: str = "Email") -> str | None:
    text = cell_text(value).strip()
    if not text:
        return None
    if "<" in text and (m := _ANGLE_EMAIL.search(text)):  # "Anna Berg <anna@example.com>"
        text = m[1]
    text = _EMAIL_SEPARATORS.split(text.removeprefix("mailto:"), 1)[0]  # several: keep the first
    if not is_email(text) or len(text) > 320:
        raise CellProblem(f"{what} '{text}' is not an email address; left out.")
    return text


_LIST_SPLIT = re.compile(r"\s*[;,\n]\s*")
_CANONICAL_TAGS = {tag.casefold(): tag for tag in CAPABILITY_TAGS}


def list_value(value: object, _what: str = "") -> list[str] | None:
    """'API MANUFACTURE; PACK' -> ['API MANUFACTURE', 'PACK']; known tags get their usual case."""
    items = _split_list(cell_text(value))
    return list(items) if items else None


@lru_cache(maxsize=16384)  # list cells repeat a lot ("API; Oral solids" on thousands of rows)
def _split_list(text: str) -> tuple[str, ...]:
    items: list[str] = []
    seen: set[str] = set()
    for part in _LIST_SPLIT.split(text.strip()):
        item = " ".join(part.split())
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            items.append(_CANONICAL_TAGS.get(item.casefold(), item))
    return tuple(items)


_OUTCOMES = {
    "nai": "NAI",
    "no action indicated": "NAI",
    "vai": "VAI",
    "voluntary action indicated": "VAI",
    "oai": "OAI",
    "official action indicated": "OAI",
}


def outcome_value(value: object, what: str = "Inspection outcome") -> str | None:
    text = " ".join(cell_text(value).split())
    if not text:
        return None
    code = _outcome(text)
    if code is None:
        raise CellProblem(f"{what} '{text}' is not NAI, VAI or OAI; left out.")
    return code


@lru_cache(maxsize=1024)
def _outcome(text: str) -> str | None:
    folded = re.sub(r"[^a-z ]+", " ", text.lower())
    for word in (folded.strip(), *folded.split()):
        if word in _OUTCOMES:
            return _OUTCOMES[word]
    for phrase, code in _OUTCOMES.items():
        if phrase in folded:
            return code
    return None
