#!/usr/bin/env bash
# What the nginx and deploy tests and `make nginx` / `make deploy` need: Debian's nginx
# (with gzip_static, ssl, http2), rsync, openssl (the tests' self-signed certificate) and
# the ssh client (deploying to a server), faketime (the clock test), logrotate (the log policy's test), sshd as root (the deploy key's test). Like tools/install-browser.sh: quiet and idempotent;
# as root it apt-get installs what is missing, otherwise it says what to run and fails.
set -euo pipefail

missing=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v rsync >/dev/null || missing+=(rsync)
command -v openssl >/dev/null || missing+=(openssl)
command -v ssh >/dev/null || missing+=(openssh-client)
command -v faketime >/dev/null || missing+=(faketime)  # tests/test_clock.py: the suite on another day
command -v logrotate >/dev/null || [ -x /usr/sbin/logrotate ] || missing+=(logrotate)  # tests/test_logs.py: deploy/logrotate/qcdx
# tests/test_pull.py: the push through a real sshd on a loopback port (skipped without it); installed
# as root only (CI), since the package also starts an sshd on port 22 where a service manager runs
[ -x /usr/sbin/sshd ] || [ "$(id -u)" -ne 0 ] || missing+=(openssh-server)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${missing[*]} (apt-get)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    exit 0
fi
echo "The nginx and deploy tests need: ${missing[*]}. Run \`sudo apt-get install ${missing[*]}\` (or \`make server-tools\` as root)." >&2
exit 1
