"""The access log by the rules (网络安全法 第二十一条): deploy/logrotate/qcdx keeps 180 days,
compressed, readable by root and the adm group only, and agrees with mkdocs.yml's
extra.privacy.log_days (what the privacy page tells readers). Debian's logrotate reads it.
What the log holds (no query string) is tested under nginx in tests/test_nginx.py."""
from __future__ import annotations

import grp
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from macros.content import config as configuration

ROOT = Path(__file__).resolve().parents[1]
POLICY = ROOT / "deploy" / "logrotate" / "qcdx"
LOGROTATE = shutil.which("logrotate") or "/usr/sbin/logrotate"
LOG = "/var/log/qcdx/access.log"


def directives(text: str) -> dict[str, str]:
    """The policy's directives outside the scripts: name → the rest of the line."""
    found, script = {}, False
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line in ("postrotate", "prerotate", "firstaction", "lastaction"):
            script = True
        elif line == "endscript":
            script = False
        elif line and not script and not line.endswith(("{", "}")):
            name, _, rest = line.partition(" ")
            found[name] = rest.strip()
    return found


def test_the_policy_keeps_what_mkdocs_yml_says_compressed_for_the_administrator_only():
    policy = directives(POLICY.read_text(encoding="utf-8"))
    days = configuration.read(ROOT).log_days
    assert days is not None and days >= 180  # six months at least
    assert policy["daily"] == "" and int(policy["rotate"]) == days and int(policy["maxage"]) == days
    assert "compress" in policy and policy["create"] == "0640 root adm"
    assert f"{LOG} {{" in POLICY.read_text(encoding="utf-8")
    # nginx writes that very file, in the format of http.conf
    production = (ROOT / "deploy" / "nginx" / "qcdx.conf").read_text(encoding="utf-8")
    assert production.count(f"access_log {LOG} qcdx;") == 3  # every server that answers HTTP


def test_a_log_days_other_than_the_policy_s_is_seen(tmp_path):
    """The agreement above can fail: mkdocs.yml read through config.py, its one reader."""
    (tmp_path / "mkdocs.yml").write_text("extra:\n  privacy:\n    log_days: 90\n", encoding="utf-8")
    assert configuration.read(tmp_path).log_days == 90
    assert int(directives(POLICY.read_text(encoding="utf-8"))["rotate"]) != 90
    (tmp_path / "mkdocs.yml").write_text("extra:\n  privacy:\n    log_days: 半年\n", encoding="utf-8")
    assert configuration.read(tmp_path).log_days is None


@pytest.mark.skipif(not Path(LOGROTATE).exists(), reason="logrotate missing: bash tools/install-server-tools.sh")
def test_debian_s_logrotate_reads_the_policy(tmp_path):
    result = subprocess.run([LOGROTATE, "-d", "-s", str(tmp_path / "state"), str(POLICY)],
                            capture_output=True, text=True)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "error" not in output.lower(), output
    assert f"rotating pattern: {LOG}  after 1 days (180 rotations)" in output
    assert "old logs are removed" in output


@pytest.mark.skipif(not Path(LOGROTATE).exists(), reason="logrotate missing: bash tools/install-server-tools.sh")
@pytest.mark.skipif(os.geteuid() != 0, reason="`create 0640 root adm` needs root, as on the server")
def test_a_rotation_compresses_and_leaves_a_file_only_adm_can_read(tmp_path):
    """The policy run for real on a copy whose log is in tmp_path (and no nginx to signal)."""
    logs = tmp_path / "log"
    logs.mkdir(mode=0o750)
    text = POLICY.read_text(encoding="utf-8").replace(LOG, str(logs / "access.log"))
    text = re.sub(r"postrotate.*?endscript", "", text, flags=re.S)
    (tmp_path / "policy").write_text(text, encoding="utf-8")
    old = logs / "access.log-20200101.gz"
    old.write_bytes(b"")
    os.utime(old, (0, 0))  # written in 1970, far older than 180 days: removed (maxage)
    for day in range(2):  # two rotations: delaycompress compresses the older one
        (logs / "access.log").write_text(f"line {day}\n", encoding="utf-8")
        result = subprocess.run([LOGROTATE, "-f", "-s", str(tmp_path / "state"), str(tmp_path / "policy")],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        for rotated in logs.glob("access.log-*"):  # dateext: the second run of a day needs another name
            if not rotated.name.endswith(".gz") and day == 0:
                rotated.rename(logs / "access.log-20991230")
    new = (logs / "access.log").stat()
    assert stat.S_IMODE(new.st_mode) == 0o640 and new.st_uid == 0 and grp.getgrgid(new.st_gid).gr_name == "adm"
    names = sorted(p.name for p in logs.iterdir())
    assert "access.log-20991230.gz" in names, names  # compressed
    assert not old.exists(), names
