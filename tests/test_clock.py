"""One clock: --today, else SITE_TODAY, else the date in the school's time zone (macros/content/clock.py)."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENGINE_COMMAND
from macros.content import clock

ROOT = Path(__file__).resolve().parents[1]
UTC = dt.timezone.utc


def test_override_wins_over_the_environment():
    assert clock.today(dt.date(2024, 1, 1), environ={"SITE_TODAY": "2025-05-05"}) == dt.date(2024, 1, 1)


def test_site_today_wins_over_the_wall_clock():
    assert clock.today(environ={"SITE_TODAY": "2025-05-05"}) == dt.date(2025, 5, 5)


def test_a_bad_site_today_is_said_in_chinese():
    with pytest.raises(clock.ClockError, match="SITE_TODAY.*2025-13-01.*2024-01-01"):
        clock.today(environ={"SITE_TODAY": "2025-13-01"})


def test_the_day_changes_at_midnight_beijing_time_not_utc():
    # 16:30 UTC on 30 November is 00:30 on 1 December in Beijing
    late = dt.datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    assert clock.today(environ={}, now=late) == dt.date(2026, 12, 1)
    assert clock.today(environ={}, now=dt.datetime(2026, 11, 30, 15, 59, tzinfo=UTC)) == dt.date(2026, 11, 30)


def test_the_time_zone_is_configurable():
    late = dt.datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    assert clock.today(timezone="Europe/London", environ={}, now=late) == dt.date(2026, 11, 30)
    assert clock.today(environ={"SITE_TZ": "Asia/Urumqi"}, now=late) == dt.date(2026, 11, 30)
    with pytest.raises(clock.ClockError, match="时区「Mars/Olympus」无效"):
        clock.today(timezone="Mars/Olympus", environ={}, now=late)


def test_the_wall_clock_is_read_in_clock_py_only():
    wall = re.compile(r"\b(date\.today|datetime\.now|datetime\.utcnow|datetime\.today)\s*\(")
    offenders = [f"{path.relative_to(ROOT)}:{n}" for path in [*(ROOT / "macros").rglob("*.py"), ROOT / "hooks.py"]
                 if path.name != "clock.py"
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if wall.search(line)]
    assert offenders == []


def test_the_tests_never_read_the_wall_clock():
    """Every build and command a test starts publishes for conftest's TODAY (issue 19): conftest
    pins SITE_TODAY for the whole run, and no test or tool reads the clock itself."""
    from conftest import TODAY

    assert os.environ.get("SITE_TODAY") == TODAY.isoformat()
    wall = re.compile(r"\b(date\.today|datetime\.now|datetime\.utcnow|datetime\.today)\s*\(")
    offenders = [f"{path.relative_to(ROOT)}:{n}" for path in [*(ROOT / "tests").glob("*.py"), *(ROOT / "tools").glob("*.py")]
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if wall.search(line) and path.name != "test_clock.py"]
    assert offenders == []


def _cli(project, *args, env_today=None, extra_env=None):
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_TODAY", "SITE_TZ")}
    if env_today:
        env["SITE_TODAY"] = env_today
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "macros", *args], cwd=project.root, env=env,
                          capture_output=True, text=True, timeout=120)


def test_commands_take_the_day_from_site_today(small):
    # the same day as the build: no command reads the wall clock behind SITE_TODAY's back
    result = _cli(small, "review", env_today="2031-02-03")
    assert "按 2031-02-03 计算" in result.stdout, result.stdout + result.stderr
    result = _cli(small, "review", "--today", "2030-01-01", env_today="2031-02-03")
    assert "按 2030-01-01 计算" in result.stdout


def test_commands_use_the_configured_time_zone(small):
    text = small.path("mkdocs.yml").read_text(encoding="utf-8")
    assert "\nextra:\n" in text
    small.write("mkdocs.yml", text.replace("\nextra:\n", "\nextra:\n  timezone: Mars/Olympus\n", 1))
    result = _cli(small, "review")
    assert result.returncode == 2 and "时区「Mars/Olympus」无效" in result.stderr


# --- the same site on any day of the year: the wall clock moved by Debian's faketime ---------

AHEAD = "@2031-06-15 20:00:00"  # years ahead, and 04:00 the next day in Beijing (faketime reads it as UTC here)


def _faketime() -> str:
    path = shutil.which("faketime")
    if path is None:  # fail, never skip: `make test` installs it (tools/install-server-tools.sh)
        pytest.fail("faketime is missing: run `sudo apt-get install faketime` (or `make server-tools` as root)",
                    pytrace=False)
    return path


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_faketime_moves_the_wall_clock(small):
    # without SITE_TODAY, the commands see the moved clock: so the tests below can fail
    env = {k: v for k, v in os.environ.items() if k != "SITE_TODAY"}
    moved = subprocess.run([_faketime(), "-f", AHEAD, sys.executable, "-c",
                            "from macros.content import clock; print(clock.today())"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert moved.stdout.strip() == "2031-06-16", moved.stdout + moved.stderr


def test_a_build_and_the_commands_ignore_the_wall_clock(small, tmp_path):
    env = {**os.environ, "SITE_TODAY": "2026-11-23", "NO_MKDOCS_2_WARNING": "1"}
    outputs = {}
    for name, prefix in (("now", []), ("ahead", [_faketime(), "-f", AHEAD])):
        site = tmp_path / name
        built = subprocess.run([*prefix, *ENGINE_COMMAND, "build", "--strict", "--site-dir", str(site)],
                               cwd=small.root, env=env, capture_output=True, text=True, timeout=300)
        assert built.returncode == 0, built.stderr[-2000:]
        commands = [subprocess.run([*prefix, sys.executable, "-m", "macros", *args], cwd=small.root, env=env,
                                   capture_output=True, text=True, timeout=120).stdout
                    for args in (["check"], ["review"], ["freshness"], ["stats", "--period", "2023", "--json"])]
        outputs[name] = (_files(site), commands)
    (now_files, now_out), (ahead_files, ahead_out) = outputs["now"], outputs["ahead"]
    assert now_out == ahead_out
    assert sorted(now_files) == sorted(ahead_files)
    differ = [path for path in now_files if now_files[path] != ahead_files[path]]
    assert differ == []
