#!/usr/bin/env bash
# Publish a built site to the school's server (or a local folder) as a release, and manage releases.
#
#   deploy/deploy.sh deploy SITE_DIR TARGET      make deploy TARGET=…
#   deploy/deploy.sh releases TARGET             make releases TARGET=…
#   deploy/deploy.sh switch TARGET NAME          make switch TARGET=… RELEASE=NAME
#   deploy/deploy.sh rollback TARGET             make rollback TARGET=…
#   deploy/deploy.sh pin TARGET [REASON…]        make pin TARGET=… [REASON=…]   (and unpin)
#   deploy/deploy.sh takedown TARGET PAGE        make takedown TARGET=… PAGE=/news/2026/xxx/
#   deploy/deploy.sh takedown-clear TARGET PAGE  make takedown-clear TARGET=… PAGE=…|all
#
# TARGET is a local folder (/srv/qcdx) or deploy@host (deploy@host:/srv/qcdx reads the same: over
# ssh the folder is the one in the deploy key's forced command, see deploy/receive.sh). The ssh
# command is $DEPLOY_SSH (default ssh; e.g. "ssh -J jump@gateway"), then -p $DEPLOY_SSH_PORT when
# set, then $DEPLOY_SSH_OPTIONS (CI puts the key and the known hosts there).
#
# A deploy: `begin` (a pinned target stops here: "已固定（pinned）", exit 0), rsync of SITE_DIR
# into releases/.<UTC time>-<commit>.partial/ comparing by checksum, without copying modification
# times, with --link-dest to the current release: an unchanged file becomes a hard link to the
# current one's, and so keeps its mtime (nginx's ETag and Last-Modified) and is not sent again;
# then `commit`, which switches `current` (or makes no release when the content is the current one).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SSH_CMD=${DEPLOY_SSH:-ssh}
if [ -n "${DEPLOY_SSH_PORT:-}" ]; then
    [[ $DEPLOY_SSH_PORT =~ ^[0-9]{1,5}$ ]] || { echo "DEPLOY_SSH_PORT 应为端口号，写的是「$DEPLOY_SSH_PORT」" >&2; exit 2; }
    SSH_CMD+=" -p $DEPLOY_SSH_PORT"
fi
[ -z "${DEPLOY_SSH_OPTIONS:-}" ] || SSH_CMD+=" $DEPLOY_SSH_OPTIONS"

multiplex() {  # one ssh connection for the whole deploy (begin, rsync, commit): one handshake, not three
    [ "${DEPLOY_SSH_MULTIPLEX:-yes}" = yes ] || return 0
    control=$(mktemp -d "${TMPDIR:-/tmp}/qcdx-ssh.XXXXXX")
    PLAIN_SSH=$SSH_CMD
    SSH_CMD+=" -o ControlMaster=auto -o ControlPath=$control/c -o ControlPersist=60"
    trap '$PLAIN_SSH -o ControlPath="$control/c" -O exit "$host" >/dev/null 2>&1 || true; rm -rf "$control"' EXIT
}

usage() {
    sed -n '4,10p' "$0" | sed 's/^# \{0,1\}//' >&2
    echo "TARGET: deploy@host 或本机文件夹" >&2
    exit 2
}

split_target() {  # sets host ("" for a local folder) and base (a local folder; unused over ssh)
    case $1 in
    /*|./*|../*) host=""; base=$1 ;;
    *@*:*|*:*) host=${1%%:*}; base=${1#*:} ;;
    *@*) host=$1; base="" ;;
    *) host=""; base=$1 ;;
    esac
    [ -n "$host" ] || [ -n "$base" ] || usage
}

at_target() {  # run a verb of deploy/receive.sh where the releases are
    if [ -n "$host" ]; then
        # the words go to the forced command as they are: receive.sh splits them on blanks and
        # never hands them to a shell, so no quoting
        $SSH_CMD "$host" "$@"
    else
        QCDX_KEEP=${DEPLOY_KEEP:-${QCDX_KEEP:-10}} sh "$HERE/receive.sh" "$base" "$@"
    fi
}

deploy() {
    local site=$1
    [ -f "$site/index.html" ] || { echo "$site/index.html is missing: run \`make build\` first" >&2; exit 1; }
    command -v rsync >/dev/null || { echo "rsync is missing: run \`sudo apt-get install rsync\` (or \`make server-tools\` as root)" >&2; exit 1; }
    local commit subject name stamp
    commit=${RELEASE_COMMIT:-$(git -C "$HERE/.." rev-parse --short=10 HEAD 2>/dev/null || echo nogit)}
    commit=${commit:0:10}
    subject=${RELEASE_SUBJECT:-$(git -C "$HERE/.." log -1 --format=%s 2>/dev/null || true)}
    # RELEASE_TIME (20261201T161500Z): when the site was built, if the caller knows it; else now
    stamp=${RELEASE_TIME:-$(date -u +%Y%m%dT%H%M%SZ)}
    [[ $stamp =~ ^[0-9]{8}T[0-9]{6}Z$ ]] || { echo "RELEASE_TIME 应形如 20261201T161500Z，写的是「$stamp」" >&2; exit 2; }
    name="$stamp-$commit"
    local out rc=0
    out=$(at_target begin "$name") || rc=$?
    if [ $rc -eq 3 ]; then printf '%s\n' "$out"; exit 0; fi  # pinned: nothing to do, and no failure
    [ $rc -eq 0 ] || { printf '%s\n' "$out"; exit $rc; }
    local link=() release
    for release in $out; do link+=(--link-dest="../$release/"); done
    local dest="releases/.$name.partial/"
    if [ -n "$host" ]; then dest="$host:$dest"; else dest="$base/$dest"; fi
    # -r -p, not -a: no times (a new build's mtimes would defeat --link-dest), no owners, no symlinks
    rsync -r -p --checksum --delete --chmod=D755,F644 --stats "${link[@]}" -e "$SSH_CMD" "$site/" "$dest" |
        sed -n 's/^Number of regular files transferred: /上传的文件：/p; s/^Total bytes sent: /发送的字节：/p'
    rc=0
    printf 'commit %s\nsubject %s\n' "$commit" "${subject//$'\n'/ }" | at_target commit "$name" || rc=$?
    [ $rc -eq 3 ] && exit 0  # pinned while uploading: the message is printed, the upload discarded
    exit $rc
}

[ $# -ge 1 ] || usage
verb=$1; shift
case $verb in
deploy) [ $# -eq 2 ] || usage; split_target "$2"; [ -z "$host" ] || multiplex; deploy "$1" ;;
releases|rollback|unpin|takedowns) [ $# -eq 1 ] || usage; split_target "$1"; at_target "$verb" ;;
switch|takedown|takedown-clear) [ $# -eq 2 ] && [ -n "$2" ] || usage; split_target "$1"; at_target "$verb" "$2" ;;
pin) [ $# -ge 1 ] || usage; split_target "$1"; shift; at_target pin "$@" ;;
*) usage ;;
esac
