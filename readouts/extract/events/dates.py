"""Short date phrases ("yesterday", "on Tuesday, March 29", "April 12-22") resolved to ISO dates.

dateparser is slow on long input and loads its data lazily, so it only ever sees the phrase,
cleaned to one day, and every answer is cached.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import dateparser

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_RELATIVE = re.compile(r"\b(today|yesterday|tomorrow|tonight|this (?:morning|afternoon|evening))\b", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"\b({_MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s*(?:[-–—]|to|and|through)\s*"
                        rf"(?:(?:{_MONTHS})\.?\s+)?\d{{1,2}}(?:st|nd|rd|th)?\b)?(?:,?\s+(\d{{4}}))?", re.IGNORECASE)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\s+({_MONTHS})\b(?:,?\s+(\d{{4}}))?", re.IGNORECASE)
_WEEKDAY = re.compile(rf"\b(?:(last|next|this)\s+)?({_WEEKDAYS})\b", re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def day_phrase(text: str) -> str | None:
    """The part of a date expression that names one day, or None ("three-day", "earlier this year")."""
    if m := _ISO.search(text):
        return m.group(0)
    if m := _MONTH_DAY.search(text):
        return f"{m.group(1)} {m.group(2)}" + (f", {m.group(3)}" if m.group(3) else "")
    if m := _DAY_MONTH.search(text):
        return f"{m.group(2)} {m.group(1)}" + (f", {m.group(3)}" if m.group(3) else "")
    if m := _RELATIVE.search(text):
        word = m.group(1).lower()
        return "today" if word.startswith(("this", "tonight")) else word
    if m := _WEEKDAY.search(text):
        return m.group(0)
    return None


def resolve(text: str, base: str | None, *, future: bool = False) -> str | None:
    """ISO date of a date phrase, read relative to ``base`` (the document's ISO date) if given."""
    phrase = day_phrase(text)
    if phrase is None:
        return None
    has_year = bool(re.search(r"\b\d{4}\b", phrase))
    if base is None and not has_year:
        return None  # "today", "March 29" mean nothing without the document's date
    if base and phrase in _OFFSETS:
        return _offset(base, _OFFSETS[phrase])
    if not has_year and base and _MONTH_DAY.fullmatch(phrase):
        return _month_day(phrase.lower(), base, future)
    if m := re.fullmatch(r"(\w+)\.? (\d{1,2}), (\d{4})", phrase):
        day = _ymd(int(m.group(3)), m.group(1), int(m.group(2)))
        if day is not None:
            return day.isoformat()
    return _parse(phrase.lower(), base, future)


_OFFSETS = {"today": 0, "yesterday": -1, "tomorrow": 1}


@lru_cache(maxsize=1024)
def _offset(base: str, days: int) -> str | None:
    try:
        return (dt.date.fromisoformat(base[:10]) + dt.timedelta(days=days)).isoformat()
    except ValueError:
        return None


_MONTH_NUMBER = {name: i for i, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
     ("november", "nov"), ("december", "dec")], 1) for name in names}


def _ymd(year: int, month_name: str, day: int) -> dt.date | None:
    try:
        return dt.date(year, _MONTH_NUMBER[month_name.lower().rstrip(".")], day)
    except (KeyError, ValueError):
        return None


@lru_cache(maxsize=4096)
def _month_day(phrase: str, base: str, future: bool) -> str | None:
    """ "May 21" in a release of 2022-05-21: that year, unless it is over a month behind (for an
    announced event) or ahead (for one that took place), when it is the next or last year."""
    month, _, num = phrase.partition(" ")
    try:
        ref = dt.date.fromisoformat(base[:10])
    except ValueError:
        return None
    day = _ymd(ref.year, month, int(num)) if num.isdigit() else None
    if day is None:
        return None
    if future and (ref - day).days > 31:
        day = _shift_year(day, 1)
    elif not future and (day - ref).days > 31:
        day = _shift_year(day, -1)
    return day.isoformat()


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@lru_cache(maxsize=4096)
def _parse(phrase: str, base: str | None, future: bool) -> str | None:
    settings: dict[str, object] = {"PREFER_DATES_FROM": "future" if future else "past",
                                   "PREFER_DAY_OF_MONTH": "first"}
    if base:
        try:
            settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(base[:10])
        except ValueError:
            return None
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)  # type: ignore[arg-type]
    return parsed.date().isoformat() if parsed else None
