"""Read an article's date from its dateline ("WASHINGTON, July 19, 2018 (Reuters) -")."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {name: i + 1 for i, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"))}
_MONTHS |= {name[:3]: n for name, n in list(_MONTHS.items())}
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
# Month D, YYYY  |  D Month YYYY  |  YYYY-MM-DD, after an optional place name, and followed by
# the dateline's end: an agency in brackets, a dash, or a colon.
_DATELINE_RE = re.compile(
    r"\A\W*(?:[A-Z][\w.'\u2019-]*(?:[ ,]+[A-Z][\w.'\u2019-]*){0,4}\s*[,/]\s*)?"
    r"(?:(?:[A-Z][a-z]+day,?\s+)?"
    rf"(?:{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})\s+{_MONTH.replace('month', 'month2')}\s+(?P<year2>\d{{4}})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})))"
    r"\s*(?:\([^()\n]{1,40}\)\s*)?[-\u2013\u2014:]")


def dateline_date(text: str) -> str | None:
    """The ISO date of a dateline that opens one of the first lines of ``text``, or None.

    Only a full date counts (day, month and year); a footer's "(c) 2024" or a bare year is
    never a date.

    Args:
        text: the article text.

    Returns:
        ``YYYY-MM-DD``, or None when no line near the top starts with a dated dateline.
    """
    for line in [ln for ln in text[:2000].split("\n") if ln.strip()][:4]:
        m = _DATELINE_RE.match(line.strip())
        if m is None:
            continue
        if m.group("iso"):
            year, month, day = (int(x) for x in m.group("iso").split("-"))
        else:
            name = (m.group("month") or m.group("month2") or "").lower()
            month = _MONTHS.get(name, 0)
            year = int(m.group("year") or m.group("year2"))
            day = int(m.group("day") or m.group("day2"))
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            continue
    return None
