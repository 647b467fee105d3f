#!/usr/bin/env bash
# A built site as a release the server can pull (deploy/pull.sh): in OUT_DIR,
#   qcdx-<UTC time>-<commit>.tar.gz          the site's files (sorted, owner 0, mtime 0: the same
#                                            files make the same bytes)
#   qcdx-<UTC time>-<commit>.tar.gz.sha256   its checksum, as sha256sum writes it
#   qcdx-<UTC time>-<commit>.tar.gz.sig      its SSH signature (namespace qcdx-release), when
#                                            RELEASE_SIGNING_KEY names a private key file
#   LATEST                                   the tarball's name, then "commit …" and "subject …"
#
#   deploy/pack.sh SITE_DIR OUT_DIR          make pack OUT=…   (CI: the `release` artifact)
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 SITE_DIR OUT_DIR" >&2; exit 2; }
site=$1; out=$2
[ -f "$site/index.html" ] || { echo "$site/index.html is missing: run \`make build\` first" >&2; exit 1; }
HERE=$(cd "$(dirname "$0")" && pwd)
commit=${RELEASE_COMMIT:-$(git -C "$HERE/.." rev-parse --short=10 HEAD 2>/dev/null || echo nogit)}
commit=${commit:0:10}
subject=${RELEASE_SUBJECT:-$(git -C "$HERE/.." log -1 --format=%s 2>/dev/null || true)}
# RELEASE_TIME (20261201T161500Z): when the site was built, if the caller knows it; else now
stamp=${RELEASE_TIME:-$(date -u +%Y%m%dT%H%M%SZ)}
[[ $stamp =~ ^[0-9]{8}T[0-9]{6}Z$ ]] || { echo "RELEASE_TIME 应形如 20261201T161500Z，写的是「$stamp」" >&2; exit 2; }
name="qcdx-$stamp-$commit.tar.gz"
mkdir -p "$out"
# regular files and folders only (a symlink would be refused by the server)
tar -C "$site" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=gnu -c . | gzip -n > "$out/$name.new"
mv "$out/$name.new" "$out/$name"
(cd "$out" && sha256sum "$name" > "$name.sha256")
if [ -n "${RELEASE_SIGNING_KEY:-}" ]; then
    # a copy of mode 600: ssh-keygen refuses a key others may read, and a CI File variable may be
    key=$(mktemp); trap 'rm -f "$key"' EXIT
    cat "$RELEASE_SIGNING_KEY" > "$key"
    rm -f "$out/$name.sig"
    ssh-keygen -q -Y sign -f "$key" -n qcdx-release "$out/$name" ||
        { echo "签名失败：RELEASE_SIGNING_KEY 应是 ssh-keygen -t ed25519 生成的私钥文件（运维手册“发布签名”一节）" >&2; exit 1; }
fi
printf '%s\ncommit %s\nsubject %s\n' "$name" "$commit" "${subject//$'\n'/ }" > "$out/LATEST.new"
mv "$out/LATEST.new" "$out/LATEST"  # last: a puller never finds a LATEST without its files
echo "$out/$name"
