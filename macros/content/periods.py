"""Reporting periods: a year `2023`, a half `2023H1`, a quarter `2023Q2`, a month `2023-05`."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_PATTERNS = [
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})H([12])$", re.I), "half"),
    (re.compile(r"^(\d{4})Q([1-4])$", re.I), "quarter"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
]


class PeriodError(ValueError):
    """An unreadable period, with a Chinese message."""


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    code: str
    kind: str

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        year = self.start.year
        if self.kind == "year":
            return f"{year}年"
        if self.kind == "half":
            return f"{year}年{'上' if self.start.month == 1 else '下'}半年"
        if self.kind == "quarter":
            return f"{year}年第{'一二三四'[(self.start.month - 1) // 3]}季度"
        return f"{year}年{self.start.month}月"

    def year_before(self) -> "Period":
        """The same period one year earlier, for year-over-year change."""
        code = self.code.replace(str(self.start.year), str(self.start.year - 1), 1)
        return parse(code)


def parse(code: object) -> Period:
    text = str(code).strip()
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        if kind == "year":
            return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), text, kind)
        part = int(match.group(2))
        if kind == "half":
            first, months = 6 * (part - 1) + 1, 6
            code_ = f"{year}H{part}"
        elif kind == "quarter":
            first, months = 3 * (part - 1) + 1, 3
            code_ = f"{year}Q{part}"
        else:
            if not 1 <= part <= 12:
                break
            first, months = part, 1
            code_ = f"{year}-{part:02d}"
        last = first + months - 1
        return Period(
            dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1]), code_, kind
        )
    raise PeriodError(
        f"统计时段「{text}」无法识别，应写成 2023（全年）、2023H1（上半年）、2023Q2（第二季度）或 2023-05（某月）"
    )
