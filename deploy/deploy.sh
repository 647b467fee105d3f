#!/usr/bin/env bash
# Deploy the built site to a server (or a local folder) as an immutable release, atomically.
#
#   deploy/deploy.sh deploy SITE_DIR TARGET    # make deploy TARGET=…
#   deploy/deploy.sh rollback TARGET           # make rollback TARGET=…
#
# TARGET is user@host:/srv/qcdx (rsync and ssh; $DEPLOY_SSH is the ssh command, e.g.
# "ssh -i ~/.ssh/qcdx_deploy") or a local folder. Under it:
#   releases/<UTC time>-<commit>/   one folder per deploy, never changed once written
#   current -> releases/…           the one nginx serves (root /srv/qcdx/current)
# A release is uploaded as releases/.<name>.partial, renamed when complete, and only then is
# `current` switched, by renaming a new symlink over it (rename(2) is atomic): a reader
# sees the old release or the new one, never a mixture and never a missing `current`.
# The last five releases are kept (and always the current one), for `rollback`.
set -euo pipefail

KEEP=${DEPLOY_KEEP:-5}
SSH=${DEPLOY_SSH:-ssh}

# The part that runs where the releases are (locally, or through ssh on the server): POSIX sh.
# $1 = action (switch | rollback), $2 = base folder, $3 = release name (switch).
SERVER_SIDE='
set -eu
action=$1; base=$2; name=${3:-}
cd "$base"
switch() {  # point current at releases/$1, atomically
    ln -sfn "releases/$1" .current.new
    mv -T .current.new current  # GNU mv (Debian): -T renames over the link, never into its folder
}
case $action in
switch)
    if [ -e "releases/$name" ]; then
        rm -rf "releases/.$name.partial"
        echo "release $name exists already (two deploys in one second?): deploy again" >&2; exit 1
    fi
    mv "releases/.$name.partial" "releases/$name"
    switch "$name"
    now=$(readlink current); now=${now#releases/}
    # the newest '"$KEEP"' stay (and the current one, whatever its age); the rest go
    ls -1 releases | grep -v "^\\." | sort -r | tail -n +$(('"$KEEP"' + 1)) | while read -r old; do
        [ "$old" = "$now" ] || rm -rf "releases/$old"
    done
    # partial uploads of deploys that failed
    find releases -mindepth 1 -maxdepth 1 -name ".*.partial" ! -name ".$name.partial" -mmin +60 -exec rm -rf {} + 2>/dev/null || true
    echo "current → releases/$name"
    ;;
rollback)
    now=$(readlink current 2>/dev/null) || { echo "no current release under $base" >&2; exit 1; }
    now=${now#releases/}
    previous=$(ls -1 releases | grep -v "^\\." | sort | awk -v now="$now" '"'"'$0 == now { print prev; exit } { prev = $0 }'"'"')
    [ -n "$previous" ] || { echo "no release older than $now to roll back to" >&2; exit 1; }
    switch "$previous"
    echo "current → releases/$previous (was $now)"
    ;;
esac
'

quote() {  # POSIX single quotes for the server's shell (bash's printf %q may write $'…', which sh does not read)
    local out="" arg
    for arg in "$@"; do out+="'${arg//\'/\'\\\'\'}' "; done
    printf '%s' "$out"
}

usage() { echo "usage: $0 deploy SITE_DIR TARGET | rollback TARGET   (TARGET: user@host:/path or /path)" >&2; exit 2; }

split_target() {  # sets host ("" for a local folder) and base
    case $1 in
    /*|./*|../*) host=""; base=$1 ;;
    *:*) host=${1%%:*}; base=${1#*:} ;;
    *) host=""; base=$1 ;;
    esac
    [ -n "$base" ] || usage
}

at_target() {  # run SERVER_SIDE with the given arguments where the releases are
    if [ -n "$host" ]; then
        $SSH "$host" "sh -s -- $(quote "$@")" <<<"$SERVER_SIDE"
    else
        sh -s -- "$@" <<<"$SERVER_SIDE"
    fi
}

deploy() {
    local site=$1
    [ -f "$site/index.html" ] || { echo "$site/index.html is missing: run \`make build\` first" >&2; exit 1; }
    local commit
    commit=$(git -C "$(dirname "$0")/.." rev-parse --short=10 HEAD 2>/dev/null || echo nogit)
    local name
    name="$(date -u +%Y%m%dT%H%M%SZ)-$commit"
    local dest="$base/releases/.$name.partial/" has_current
    if [ -n "$host" ]; then
        has_current=$($SSH "$host" "mkdir -p $(quote "$base/releases") && { test -e $(quote "$base/current") && echo yes || true; }")
        dest="$host:$dest"
    else
        mkdir -p "$base/releases"
        has_current=$(test -e "$base/current" && echo yes || true)
    fi
    # unchanged files become hard links to the current release's: a small change uploads little
    local link=()
    [ "$has_current" = yes ] && link=(--link-dest="../../current/")
    rsync -a --delete --chmod=D755,F644 "${link[@]}" -e "$SSH" "$site/" "$dest"
    at_target switch "$base" "$name"
}

command -v rsync >/dev/null || { echo "rsync is missing: run \`sudo apt-get install rsync\` (or \`make server-tools\` as root)" >&2; exit 1; }
[ $# -ge 1 ] || usage
case $1 in
deploy) [ $# -eq 3 ] || usage; split_target "$3"; deploy "$2" ;;
rollback) [ $# -eq 2 ] || usage; split_target "$2"; at_target rollback "$base" ;;
*) usage ;;
esac
