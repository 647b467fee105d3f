#!/bin/sh
# The server fetches the newest verified release and switches `current` to it: nothing inbound.
# Run by the timer deploy/systemd/qcdx-pull.timer (or by hand) as the user owning /srv/qcdx:
#
#   pull.sh [BASE SOURCE]        default: $QCDX_BASE and $QCDX_SOURCE (/etc/qcdx/pull.env)
#
# SOURCE is a folder (an artifact share that CI or a person copies `make pack` into) or an HTTPS
# address where {file} stands for the file's name, e.g. the school's GitLab job artifacts:
#   https://git.school.cn/api/v4/projects/12/jobs/artifacts/main/raw/release/{file}?job=release
# ($QCDX_HEADER_FILE: a file holding one header line, e.g. "PRIVATE-TOKEN: …", sent with each
# request and never on a command line). Without {file}, the name is appended after a slash.
#
# The tarball must carry an SSH signature (its .sig, namespace qcdx-release) by a key listed in
# $QCDX_SIGNERS (default /etc/qcdx/release_signers, ssh-keygen's allowed_signers format): the
# checksum only shows the download is whole, the signature that CI made it from main. A school
# that signs nothing must say so, QCDX_SIGNERS=none, and is warned on every run.
#
# It reads LATEST; stops when that tarball was pulled already, or is older than `current`; checks
# the tarball against its .sha256 and that it holds only files and folders inside the site; then
# uploads it into a release as deploy.sh does (begin → rsync with --link-dest → commit), so a
# pinned server, identical content and the takedown list behave the same as for a push.
set -eu
umask 022
export LC_ALL=C
base=${1:-${QCDX_BASE:-}}
source=${2:-${QCDX_SOURCE:-}}
[ -n "$base" ] && [ -n "$source" ] || { echo "用法：pull.sh 发布目录 制品来源（或在 /etc/qcdx/pull.env 设 QCDX_BASE、QCDX_SOURCE）" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
receive="$here/receive.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qcdx-pull.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fetch() {  # file $1 of the source into $2
    case $source in
    http://*|https://*)
        case $source in *"{file}"*) url=$(printf '%s' "$source" | sed "s|{file}|$1|") ;; *) url="${source%/}/$1" ;; esac
        if [ -n "${QCDX_HEADER_FILE:-}" ]; then
            curl -fsS --max-time 600 --retry 2 -H "@$QCDX_HEADER_FILE" -o "$2" "$url"
        else
            curl -fsS --max-time 600 --retry 2 -o "$2" "$url"
        fi ;;
    *) cp "$source/$1" "$2" ;;
    esac
}

fetch LATEST "$tmp/LATEST" || { echo "取不到 $source 的 LATEST" >&2; exit 1; }
file=$(sed -n 1p "$tmp/LATEST")
printf '%s\n' "$file" | grep -Eqx 'qcdx-[0-9]{8}T[0-9]{6}Z-[0-9a-z]{1,40}\.tar\.gz' || { echo "LATEST 里不是发布包的名字：$file" >&2; exit 1; }
name=${file#qcdx-}; name=${name%.tar.gz}
mkdir -p "$base/state"
if [ "$(cat "$base/state/pulled" 2>/dev/null || true)" = "$file" ]; then echo "已是最新：$file"; exit 0; fi
now=$(readlink "$base/current" 2>/dev/null || true); now=${now#releases/}
if [ -n "$now" ] && [ "$(printf '%s\n%s\n' "$name" "$now" | sort | tail -n 1)" != "$name" ]; then
    echo "制品 $file 不比当前发布 $now 新：不发布" >&2; echo "$file" > "$base/state/pulled"; exit 0
fi

fetch "$file" "$tmp/$file" && fetch "$file.sha256" "$tmp/$file.sha256" || { echo "取不到 $file 或它的 .sha256" >&2; exit 1; }
expected=$(awk -v f="$file" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/$file.sha256")
actual=$(sha256sum "$tmp/$file" | cut -c1-64)
[ -n "$expected" ] && [ "$expected" = "$actual" ] || { echo "校验失败：$file 的 SHA-256 是 $actual，$file.sha256 写的是 ${expected:-（没有这个文件的）}：不发布" >&2; exit 1; }
signers=${QCDX_SIGNERS:-/etc/qcdx/release_signers}
if [ "$signers" = none ]; then
    echo "注意：没有核对发布签名（QCDX_SIGNERS=none），只核对了 SHA-256：谁能写入制品来源，谁就能发布" >&2
else
    [ -f "$signers" ] || { echo "没有发布签名的公钥文件 $signers（运维手册“发布签名”一节）：不发布" >&2; exit 1; }
    fetch "$file.sig" "$tmp/$file.sig" || { echo "取不到 $file.sig：发布包没有签名，不发布" >&2; exit 1; }
    signer=$(ssh-keygen -Y find-principals -f "$signers" -s "$tmp/$file.sig" 2>/dev/null | head -n 1) &&
        [ -n "$signer" ] &&
        ssh-keygen -Y verify -f "$signers" -I "$signer" -n qcdx-release -s "$tmp/$file.sig" < "$tmp/$file" >/dev/null 2>&1 ||
        { echo "签名验证失败：$file 不是 $signers 里的密钥签发的，或签名后被改过：不发布" >&2; exit 1; }
    echo "签名有效：$signer"
fi
# only regular files and folders, inside the site
bad=$(tar -tvzf "$tmp/$file" | awk '$1 !~ /^[-d]/' | head -n 3)
[ -z "$bad" ] || { echo "发布包里有不是普通文件的条目，不发布：$bad" >&2; exit 1; }
bad=$(tar -tzf "$tmp/$file" | grep -E '^/|(^|/)\.\.(/|$)' | head -n 3 || true)
[ -z "$bad" ] || { echo "发布包里有网站以外的路径，不发布：$bad" >&2; exit 1; }
mkdir "$tmp/site"
tar -xzf "$tmp/$file" -C "$tmp/site" --no-same-owner --no-same-permissions
[ -f "$tmp/site/index.html" ] || { echo "发布包里没有 index.html：不发布" >&2; exit 1; }

rc=0; links=$(sh "$receive" "$base" begin "$name") || rc=$?
if [ $rc -eq 3 ]; then printf '%s\n' "$links"; exit 0; fi  # pinned: not recorded, tried again next time
[ $rc -eq 0 ] || { printf '%s\n' "$links" >&2; exit $rc; }
set --
for r in $links; do set -- "$@" "--link-dest=../$r/"; done
rsync -r -p --checksum --delete --chmod=D755,F644 --stats "$@" "$tmp/site/" "$base/releases/.$name.partial/" |
    sed -n 's/^Number of regular files transferred: /写入的文件：/p'
rc=0; tail -n +2 "$tmp/LATEST" | sh "$receive" "$base" commit "$name" || rc=$?
[ $rc -eq 3 ] && exit 0
[ $rc -eq 0 ] || exit $rc
echo "$file" > "$base/state/pulled"
