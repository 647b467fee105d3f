"""`python -m macros health URL` against the production server block under the real nginx:
an expired self-signed certificate, a stale section, IPv6 switched off; and deploy/health.sh,
which sends the report when there is a problem. The day is always given (--today)."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from macros.editorial import health, release
from tools import nginx

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[1]
HOST = "qcdx.example.cn"
TODAY = dt.date(2026, 12, 1)
STAMP = {"commit": "0123456789abcdef", "built": "2026-11-30", "sections": [
    {"id": "fresh", "name": "学校要闻", "every": 7, "last": "2026-11-28", "editor": "办公室"},
    {"id": "stale", "name": "机关党建", "every": 14, "last": "2026-10-01", "editor": "机关党委 李明"},
]}


def certificate(folder: Path, *, expired: bool) -> tuple[Path, Path]:
    """A self-signed certificate for HOST: valid 30 days from now, or made in 2020 for 30 days
    (faketime: OpenSSL 3.0 cannot date one in the past)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "10", "-subj", f"/CN={HOST}",
               "-addext", f"subjectAltName=DNS:{HOST}", "-keyout", str(key), "-out", str(cert)]
    if expired:
        command = ["faketime", "2020-01-01 00:00:00", *command]
    subprocess.run(command, check=True, capture_output=True)
    return cert, key


@pytest.fixture(scope="module")
def site(demo, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("health") / "site"
    shutil.copytree(demo.site, site)
    assert json.loads((site / "release.json").read_text(encoding="utf-8"))["built"]  # the build wrote one
    (site / "release.json").write_text(json.dumps(STAMP, ensure_ascii=False), encoding="utf-8")
    (site / "release.json.gz").unlink(missing_ok=True)
    return site


@pytest.fixture(scope="module")
def expired(site, tmp_path_factory):
    cert, key = certificate(tmp_path_factory.mktemp("expired"), expired=True)
    tls_port = nginx.free_port()
    with nginx.start(site, tls_port=tls_port, cert=cert, key=key, ipv6=nginx.has_ipv6()):
        yield f"https://{HOST}:{tls_port}/", cert


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "macros", "--today", TODAY.isoformat(), "health", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not nginx.has_ipv6(), reason="this host has no IPv6 loopback")
def test_an_expired_certificate_and_a_stale_section_fail_in_chinese(expired):
    url, cert = expired
    result = cli(url, "--ipv4", "127.0.0.1", "--ipv6", "::1", "--cafile", str(cert))
    assert result.returncode == 1, result.stdout + result.stderr
    report = result.stdout
    port = url.rsplit(":", 1)[1].strip("/")
    assert report.startswith(f"网站健康检查：{url}（按 2026-12-01 计算）")
    assert f"[正常] 可达性：IPv4：127.0.0.1:{port} 首页正常（HTTP 200）" in report
    assert f"[正常] 可达性：IPv6：[::1]:{port} 首页正常（HTTP 200）" in report
    assert "[问题] 证书：HTTPS 证书已过期：读者的浏览器会拦截网站" in report
    assert ("[问题] 栏目更新：板块「机关党建」（stale）已 61 天没有更新（最近一条是 2026-10-01），要求每 14 天至少更新一次；"
            "责任编辑：机关党委 李明") in report
    assert "学校要闻" not in report  # within its 7 days
    assert "[正常] 发布：线上版本 0123456789ab，2026-11-30 生成" in report
    assert "[正常] 页脚：首页的页脚有备案信息（青ICP备12345678号-1、青公网安备 63010202000123号）" in report
    assert report.rstrip().endswith("结论：发现 2 个问题、0 个提醒，请尽快处理（运维手册 OPERATIONS.md#health）。")
    # problems first: the mail's first lines say what is wrong
    lines = report.splitlines()
    assert [line.split("]")[0] for line in lines[1:3]] == ["  [问题", "  [问题"]


def test_an_old_release_or_another_commit_is_a_problem(expired):
    url, cert = expired
    result = health.run(url, TODAY + dt.timedelta(days=5), ipv4="127.0.0.1", ipv6_required=False, cafile=str(cert),
                        commit="fedcba98")
    problems = [f.message for f in result.findings if f.level == health.PROBLEM and f.what == "发布"]
    assert any("线上版本是 0123456789ab，不是最新的 fedcba98" in p for p in problems), problems
    assert any("线上网站是 2026-11-30 生成的，已 6 天没有重新发布" in p for p in problems), problems
    same = health.run(url, TODAY, ipv4="127.0.0.1", ipv6_required=False, cafile=str(cert), commit="0123456")
    assert [f for f in same.findings if f.what == "发布"] == [
        health.Finding(health.FINE, "发布", "线上版本 0123456789ab，2026-11-30 生成")]


def test_certificate_days_left_and_ipv6_off(site, tmp_path):
    """A certificate of 10 days: a notice (< 21); IPv6 not answering: a problem, or a notice
    with --ipv6-optional. By the one clock's today (the certificate is dated by the wall clock)."""
    from macros.content import clock
    cert, key = certificate(tmp_path, expired=False)
    tls_port = nginx.free_port()
    with nginx.start(site, tls_port=tls_port, cert=cert, key=key, ipv6=False):
        url = f"https://{HOST}:{tls_port}/"
        today = clock.today(None, None, {})  # the school's today, as the command would take it
        result = health.run(url, today, ipv4="127.0.0.1", ipv6="::1", cafile=str(cert))
        by = {(f.what, f.message.split("：")[0]): f for f in result.findings}
        assert by[("可达性", "IPv6")].level == health.PROBLEM
        assert f"IPv6：[::1]:{tls_port} 无法访问（连接被拒绝）" == by[("可达性", "IPv6")].message
        certificate_ = next(f for f in result.findings if f.what == "证书")
        assert certificate_.level == health.NOTICE and "少于 21 天" in certificate_.message
        assert any(f"还有 {n} 天到期" in certificate_.message for n in (9, 10, 11)), certificate_.message
        optional = health.run(url, today, ipv4="127.0.0.1", ipv6="::1", ipv6_required=False, cafile=str(cert))
        assert next(f for f in optional.findings if f.message.startswith("IPv6")).level == health.NOTICE
        # an untrusted certificate (no --cafile): a problem, with OpenSSL's reason
        untrusted = health.run(url, today, ipv4="127.0.0.1", ipv6_required=False)
        assert any(f.what == "证书" and f.level == health.PROBLEM and "self-signed" in f.message
                   for f in untrusted.findings), untrusted.text()
    # nothing listens any more: unreachable, the rest not checked
    gone = health.run(url, today, ipv4="127.0.0.1", ipv6="::1")
    assert not gone.passed and "网站完全无法访问" in gone.text()


def test_the_footer_must_carry_the_filing(expired, site):
    url, cert = expired
    home = (site / "index.html").read_text(encoding="utf-8")
    (site / "index.html.gz").rename(site / "index.html.gz.kept")
    try:
        (site / "index.html").write_text(home.replace("公网安备", "公安备"), encoding="utf-8")
        pending = health.run(url, TODAY, ipv4="127.0.0.1", ipv6_required=False, cafile=str(cert))
        assert any(f.what == "页脚" and f.level == health.NOTICE for f in pending.findings)
        (site / "index.html").write_text(home.replace("qc-filing", "qc-other"), encoding="utf-8")
        missing = health.run(url, TODAY, ipv4="127.0.0.1", ipv6_required=False, cafile=str(cert))
        assert any(f.what == "页脚" and f.level == health.PROBLEM for f in missing.findings)
    finally:
        (site / "index.html").write_text(home, encoding="utf-8")
        (site / "index.html.gz.kept").rename(site / "index.html.gz")


def test_health_sh_sends_the_report_only_on_a_problem(expired, tmp_path):
    url, cert = expired
    sent = tmp_path / "sent.txt"
    env = {**os.environ, "PYTHON": sys.executable, "SITE_TODAY": TODAY.isoformat(),
           "NOTIFY_COMMAND": f"cat > {sent}", "MAILTO": ""}
    result = subprocess.run(["sh", str(ROOT / "deploy" / "health.sh"), url, "--ipv4", "127.0.0.1", "--ipv6-optional",
                             "--cafile", str(cert)], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert sent.read_text(encoding="utf-8") == result.stdout
    assert "HTTPS 证书已过期" in result.stdout
    sent.unlink()
    bad_url = subprocess.run(["sh", str(ROOT / "deploy" / "health.sh"), "not-a-url"], env=env,
                             capture_output=True, text=True, timeout=120)
    assert bad_url.returncode == 1 and "不是网站地址" in sent.read_text(encoding="utf-8")


def test_the_units_name_the_script_and_the_schedule_parses():
    service = (ROOT / "deploy" / "health.service").read_text(encoding="utf-8")
    assert "ExecStart=/opt/qcdx/deploy/health.sh ${QCDX_URL} $QCDX_HEALTH_OPTIONS" in service
    assert "EnvironmentFile=/etc/default/qcdx-health" in service
    env = (ROOT / "deploy" / "health.env").read_text(encoding="utf-8")
    assert "\nMAILTO=" in env and "\nNOTIFY_COMMAND=" in env and "\nQCDX_URL=" in env
    timer = (ROOT / "deploy" / "health.timer").read_text(encoding="utf-8")
    calendars = [line.split("=", 1)[1] for line in timer.splitlines() if line.startswith("OnCalendar=")]
    assert calendars
    if shutil.which("systemd-analyze"):
        for calendar in calendars:
            parsed = subprocess.run(["systemd-analyze", "calendar", calendar], capture_output=True, text=True)
            assert parsed.returncode == 0, parsed.stderr


def test_the_build_s_stamp_has_the_sections_by_the_freshness_rule(demo):
    stamp = json.loads((demo.site / "release.json").read_text(encoding="utf-8"))
    assert set(stamp) == {"commit", "built", "sections"}
    site = demo.load()  # the day the demo was built for, by the one clock
    assert stamp["built"] == site.today.isoformat()
    assert [s["id"] for s in stamp["sections"]] == list(site.sections)
    assert stamp == {**release.stamp(site, demo.root), "commit": stamp["commit"]}
