"""The one clock: the day the site publishes for.

Every command, the build and the preview ask `today()`. The day is, in this order:

1. `--today` of a command (passed in by the caller as `override`);
2. the environment variable `SITE_TODAY=2024-01-01` (tests, previews, a CI that rebuilds a past day);
3. the date now in the school's time zone: `extra: timezone:` of mkdocs.yml, else the
   environment variable `SITE_TZ`, else Asia/Shanghai. An item dated tomorrow appears at
   midnight Beijing time, not at 08:00 when a CI that runs on UTC builds.

The wall clock is read here and nowhere else (`tests/test_clock.py` greps the package).
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Shanghai"


class ClockError(ValueError):
    """A SITE_TODAY or time zone that cannot be read (the message is Chinese)."""


def zone(name: str | None = None, environ: Mapping[str, str] = os.environ) -> ZoneInfo:
    name = name or environ.get("SITE_TZ") or DEFAULT_TIMEZONE
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise ClockError(f"时区「{name}」无效，应写成 Asia/Shanghai 这样的 IANA 时区名") from None


def parse_day(value: str, where: str = "日期") -> dt.date:
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ClockError(f"{where}「{value}」无效，应写成 2024-01-01") from None


def today(override: dt.date | None = None, timezone: str | None = None,
          environ: Mapping[str, str] = os.environ, now: dt.datetime | None = None) -> dt.date:
    """The school's today. `now` (an aware datetime) is for tests of the time zone rule."""
    if override is not None:
        return override
    value = environ.get("SITE_TODAY")
    if value:
        return parse_day(value, "环境变量 SITE_TODAY 的日期")
    moment = now or dt.datetime.now(dt.timezone.utc)
    return moment.astimezone(zone(timezone, environ)).date()
