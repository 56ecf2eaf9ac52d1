"""Dates as people read them (和暦) and as files store them (ISO), and the fiscal year (年度).

An era table is a few lines (STACK.md: japanera did not earn its place).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Era:
    name: str
    letter: str
    start: date


# Newest first: the first era whose start is on or before a date is the one in force.
ERAS: tuple[Era, ...] = (
    Era("令和", "R", date(2019, 5, 1)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("大正", "T", date(1912, 7, 30)),
    Era("明治", "M", date(1868, 1, 25)),
)
_BY_NAME = {e.name: e for e in ERAS} | {e.letter: e for e in ERAS}


def _year_label(n: int) -> str:
    return "元" if n == 1 else str(n)


def era_of(d: date) -> Era:
    for era in ERAS:
        if d >= era.start:
            return era
    return ERAS[-1]


def wareki(d: date) -> str:
    """令和6年5月15日 (元年 for the first year, as official documents write it)."""
    era = era_of(d)
    return f"{era.name}{_year_label(d.year - era.start.year + 1)}年{d.month}月{d.day}日"


def wareki_fy(fy: int) -> str:
    """令和6年度 for FY2024. A fiscal year takes the era that begins in its first calendar year
    or before (FY2019 = 令和元年度, FY1988 = 昭和63年度)."""
    for era in ERAS:
        if era.start.year <= fy and era.start <= date(fy + 1, 3, 31):
            return f"{era.name}{_year_label(fy - era.start.year + 1)}年度"
    return f"{fy}年度"


def fiscal_year(d: date) -> int:
    """April 1 – March 31, named by the calendar year it starts in."""
    return d.year if d.month >= 4 else d.year - 1


def fy_bounds(fy: int) -> tuple[date, date]:
    return date(fy, 4, 1), date(fy + 1, 3, 31)


ISO_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_WAREKI_RE = re.compile(
    r"^(?P<era>令和|平成|昭和|大正|明治|[RHSTMrhstm])\s*(?P<y>元|[0-9]{1,2})\s*(?:年|[./\-])\s*"
    r"(?P<m>[0-9]{1,2})\s*(?:月|[./\-])\s*(?P<d>[0-9]{1,2})\s*日?$"
)
_WESTERN_RE = re.compile(
    r"^(?P<y>[0-9]{4})\s*(?:年|[./\-])\s*(?P<m>[0-9]{1,2})\s*(?:月|[./\-])\s*(?P<d>[0-9]{1,2})\s*日?$"
)


class DateError(ValueError):
    """A date text that cannot be read; the message is Japanese and says why."""


def iso_date(text: str) -> date | None:
    """The date of a strict ISO text (what files store), or None."""
    if not ISO_RE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_date(text: str) -> date:
    """Reads ISO, 和暦 (令和6年5月15日, R6.5.15, 令和元年5月1日) and 2024/5/15, also with
    full-width digits. Raises DateError with the reason."""
    s = unicodedata.normalize("NFKC", text).strip()
    if m := _WAREKI_RE.match(s):
        era = _BY_NAME[m["era"].upper() if len(m["era"]) == 1 else m["era"]]
        year = 1 if m["y"] == "元" else int(m["y"])
        if year < 1:
            raise DateError(f"「{text}」: {era.name}0年はありません")
        y = era.start.year + year - 1
        result = _make(y, int(m["m"]), int(m["d"]), text)
        if result < era.start:
            raise DateError(f"「{text}」: {era.name}は{wareki(era.start)}からです")
        nxt = [e for e in ERAS if e.start > era.start]
        if nxt and result >= nxt[-1].start:
            raise DateError(f"「{text}」: その日はもう{nxt[-1].name}です")
        return result
    if m := _WESTERN_RE.match(s):
        return _make(int(m["y"]), int(m["m"]), int(m["d"]), text)
    raise DateError(f"「{text}」は日付として読めません（例: 2024-05-15、R6.5.15、令和6年5月15日）")


def _make(y: int, m: int, d: int, text: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise DateError(f"「{text}」: {y}年{m}月{d}日は存在しない日付です") from None


_FY_ERA_RE = re.compile(r"^(?P<era>令和|平成|昭和|[RrHhSs])\s*(?P<y>元|\d{1,2})\s*(?:年度?)?$")
_FY_WESTERN_RE = re.compile(r"^(?P<y>\d{4})\s*(?:年度)?$")


def parse_fiscal_year(text: str) -> int:
    """A fiscal year as people write it: 2024, 2024年度, R6, 令和6, 令和6年度, 令和元年度, H30 (also
    with full-width digits) → 2024. Raises DateError with the reason."""
    s = unicodedata.normalize("NFKC", text).strip()
    if m := _FY_WESTERN_RE.match(s):
        return int(m["y"])
    if m := _FY_ERA_RE.match(s):
        era = _BY_NAME[m["era"].upper() if len(m["era"]) == 1 else m["era"]]
        year = 1 if m["y"] == "元" else int(m["y"])
        if year < 1:
            raise DateError(f"「{text}」: {era.name}0年度はありません")
        fy = era.start.year + year - 1
        following = [e for e in ERAS if e.start > era.start]
        if following and fy > following[-1].start.year:
            raise DateError(f"「{text}」: その年度はもう{following[-1].name}です")
        return fy
    raise DateError(f"「{text}」は年度として読めません（例: 2024、R6、令和6年度）")
