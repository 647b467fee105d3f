#!/bin/sh
# 青川市委党校网站 — the health check, run by deploy/health.service (运维手册 OPERATIONS.md#health):
#   deploy/health.sh https://www.xxdx.gov.cn/ [options of `python -m macros health`]
# Prints the Chinese report; when the site has a problem (exit status 1) it is also sent:
#   MAILTO=it@xxdx.gov.cn          mailed with `mail` (Debian: bsd-mailx or mailutils, and a working MTA)
#   NOTIFY_COMMAND='curl …'        run with the report on its standard input (a webhook of 企业微信 / 钉钉 …)
# QCDX_ROOT: the repository checkout (default: this script's ..); PYTHON: its .venv's python.
set -u
root=${QCDX_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
python=${PYTHON:-$root/.venv/bin/python}
report=$(cd "$root" && "$python" -m macros health "$@" 2>&1)
status=$?
printf '%s\n' "$report"
[ "$status" -eq 0 ] && exit 0
subject="【网站告警】$(hostname) 的网站健康检查发现问题"
sent=0
if [ -n "${MAILTO:-}" ]; then
    printf '%s\n' "$report" | mail -s "$subject" "$MAILTO" && sent=1
fi
if [ -n "${NOTIFY_COMMAND:-}" ]; then
    printf '%s\n' "$report" | sh -c "$NOTIFY_COMMAND" && sent=1
fi
[ "$sent" -eq 1 ] || echo "没有设置 MAILTO 或 NOTIFY_COMMAND（或发送失败）：报告只记在 journalctl -u qcdx-health 里" >&2
exit "$status"
