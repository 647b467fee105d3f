#!/bin/sh
# The server's side of publishing: everything that changes /srv/qcdx goes through this script.
#
#   receive.sh BASE VERB [ARG…]    run by deploy.sh (a local folder), pull.sh and the make targets
#   receive.sh BASE                as the forced command of the deploy key (SSH_ORIGINAL_COMMAND):
#     restrict,command="/usr/local/lib/qcdx/receive.sh /srv/qcdx" ssh-ed25519 AAAA… qcdx-deploy
#
# Verbs (all a key can do; anything else is refused):
#   begin NAME                 before an upload: exit 3 when pinned; prints the releases to link to
#   rsync --server …           (ssh only) the upload itself, into releases/.NAME.partial/ and nowhere else
#   commit NAME                after an upload (stdin: "commit …" / "subject …"): the release goes live,
#                              unless it is the current content again (then nothing changes)
#   releases                   list them: time, commit, what changed against the one before
#   switch NAME | rollback     point `current` at a named release / the one before the current
#   pin [REASON…] | unpin      a pinned BASE takes no deploys (they print 已固定（pinned）and succeed)
#   takedown PAGE | takedown-clear PAGE|all | takedowns     the urgent-takedown list (撤稿)
#
# Layout under BASE (nginx's root is BASE/current; nothing under state/ is served):
#   releases/<UTC time>-<commit>/   one build each; unchanged files are hard links to the previous one's
#   current -> releases/…           switched by renaming a new symlink over it (rename(2) is atomic)
#   state/<release>.manifest        sha256 of every file (what changed, and the content's digest)
#   state/<release>.info            commit, subject, time deployed, digest, files written / linked
#   state/pinned, state/takedown, state/rolledback (digests rolled back from), state/journal, state/lock
# POSIX sh with Debian's coreutils, findutils, util-linux (flock), gzip, rsync: no Python on the server.
set -eu
umask 022
export LC_ALL=C

NAME_RE='[0-9]{8}T[0-9]{6}Z-[0-9a-z]{1,40}'
KEEP=${QCDX_KEEP:-10}
case $KEEP in ''|*[!0-9]*|0) echo "QCDX_KEEP 应为正整数，写的是「$KEEP」" >&2; exit 2 ;; esac

die() { echo "$*" >&2; exit 1; }
[ $# -ge 1 ] || die "用法：receive.sh 发布目录 [命令 参数…]"
base=$1; shift

if [ $# -eq 0 ]; then  # the forced command of a deploy key: the client's command, split on blanks, never run by a shell
    [ -n "${SSH_ORIGINAL_COMMAND:-}" ] || die "这把密钥只能用来发布网站（没有登录 shell）"
    set -f
    # shellcheck disable=SC2086
    set -- $SSH_ORIGINAL_COMMAND
    set +f
    forced=yes
else
    forced=no
fi

valid_name() { printf '%s\n' "$1" | grep -Eqx "$NAME_RE"; }

valid_page() {  # a path of the site: /news/2026/x/ or /about/x.html, nothing that leaves it
    case $1 in
    /) return 1 ;;  # the home page is not taken down: roll back or switch instead
    /*) ;;
    *) return 1 ;;
    esac
    case $1 in
    *..*|*//*|*[[:space:]]*|*[\'\"\`\$\;\&\|\<\>\*\?\\]*) return 1 ;;
    esac
    return 0
}

verb=$1; shift

if [ "$verb" != begin ] && [ ! -d "$base" ]; then
    die "没有发布目录 $base"
fi
mkdir -p "$base/releases" "$base/state"
cd "$base"

now_utc() { date -u +%Y-%m-%dT%H:%M:%SZ; }
journal() { printf '%s %s\n' "$(now_utc)" "$*" >> state/journal; }
lock() { exec 9>>state/lock; flock -w 120 9 || die "另一次发布一直没有结束（state/lock）"; }
current_name() { n=$(readlink current 2>/dev/null) || return 0; printf '%s\n' "${n#releases/}"; }
list_releases() { ls -1 releases | grep -Ex "$NAME_RE" | sort || true; }  # oldest first

manifest() {  # sha256 of every file of folder $1, by path
    (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}
digest_of_manifest() {  # the content's identity: every file but the sitemap, whose <lastmod> is the build's day,
    # and release.json, the build's stamp (commit, day) that the health check reads
    grep -v -E ' \./(sitemap\.xml(\.gz)?|release\.json)$' "$1" | sha256sum | cut -c1-64
}
info() {  # info field $2 of release $1 (computed for a release without its state files)
    if [ ! -f "state/$1.info" ] && [ -d "releases/$1" ]; then
        manifest "releases/$1" > "state/$1.manifest"
        printf 'digest %s\n' "$(digest_of_manifest "state/$1.manifest")" > "state/$1.info"
    fi
    sed -n "s/^$2 //p" "state/$1.info" 2>/dev/null | head -n 1
}
rolled_back() { [ -f state/rolledback ] && grep -qx "$1" state/rolledback; }

# --- takedown (撤稿): a page out of a release, and out of its feeds, sitemap and search -------

gz_again() {  # the .gz twin of $1 written again, if it has one (a new file: never into a hard link)
    if [ -f "$1.gz" ]; then gzip -n -5 -c "$1" > "$1.gz.new" && mv "$1.gz.new" "$1.gz"; fi
}

take_down() {  # $1 release folder, $2 page; prints what it removed (nothing when already done)
    dir=$1; page=$2; rel=${page#/}
    case $page in
    */) file="${rel}index.html" ;;
    *.html) file=$rel ;;
    *) file="$rel/index.html" ;;
    esac
    for f in "$dir/$file" "$dir/$file.gz"; do
        if [ -f "$f" ]; then rm -f "$f"; echo "  删去 ${f#"$dir"/}"; fi
    done
    case $file in */index.html) rmdir "$dir/${file%/index.html}" 2>/dev/null || true ;; esac
    # the page's <item>/<entry> in every feed and its <url> in the sitemap (a new file, renamed over)
    find "$dir" -name '*.xml' -type f | while read -r xml; do
        if grep -qF -e "$page<" -e "$page\"" "$xml"; then
            P=$page awk '
                /^[ \t]*<(item|entry|url)>/ { block = $0 "\n"; inside = 1; if ($0 !~ /<\/(item|entry|url)>/) next }
                inside && block != $0 "\n" { block = block $0 "\n" }
                inside && /<\/(item|entry|url)>/ {
                    inside = 0
                    if (index(block, ENVIRON["P"] "<") == 0 && index(block, ENVIRON["P"] "\"") == 0) printf "%s", block
                    next
                }
                inside { next }
                { print }' "$xml" > "$xml.new"
            mv "$xml.new" "$xml"; gz_again "$xml"
            echo "  从 ${xml#"$dir"/} 删去这一条"
        fi
    done
    # the search index: the page's fragment emptied, so no query finds it; a new stamp in meta.json
    # makes browsers fetch the index files again instead of their cached copies
    idx="$dir/search/idx"
    if [ -d "$idx/f" ]; then
        found=$(grep -lF "\"u\": \"$rel\"," "$idx"/f/*.json 2>/dev/null || true)
        if [ -n "$found" ]; then
            for f in $found; do
                printf '{"u": "%s", "t": "", "k": "", "d": "", "x": ""}' "$rel" > "$f.new"
                mv "$f.new" "$f"; gz_again "$f"
            done
            stamp=$(printf '%s %s' "$(cat "$idx/meta.json")" "$page" | sha256sum | cut -c1-8)
            sed -E "s/\"stamp\": \"[0-9a-f]+\"/\"stamp\": \"$stamp\"/" "$idx/meta.json" > "$idx/meta.json.new"
            mv "$idx/meta.json.new" "$idx/meta.json"; gz_again "$idx/meta.json"
            echo "  从搜索索引删去（search/idx）"
        fi
    fi
}

apply_takedowns() {  # every page of the list, out of release folder $1
    [ -s state/takedown ] || return 0
    while read -r page; do
        if [ -n "$page" ]; then take_down "$1" "$page" | sed "s|^|撤稿 $page：|" >&2; fi
    done < state/takedown
}

# --- switching and keeping -------------------------------------------------------------------

switch_to() {  # current → releases/$1, atomically, with the takedown list applied first
    apply_takedowns "releases/$1"
    ln -sfn "releases/$1" .current.new
    mv -T .current.new current  # GNU mv (Debian): -T renames over the link, never into its folder
}

prune() {  # the newest $KEEP distinct builds stay, and the current one; a copy of a newer build goes
    now=$(current_name); seen=" "; kept=0
    for old in $(list_releases | sort -r); do
        d=$(info "$old" digest)
        if [ "$old" = "$now" ]; then
            seen="$seen$d "; kept=$((kept + 1)); continue
        fi
        case $seen in *" $d "*) drop=yes ;; *) if [ $kept -lt "$KEEP" ]; then drop=no; else drop=yes; fi ;; esac
        if [ $drop = yes ]; then
            rm -rf "releases/$old" "state/$old.info" "state/$old.manifest"
        else
            seen="$seen$d "; kept=$((kept + 1))
        fi
    done
    # partial uploads of deploys that failed, an hour later
    find releases -mindepth 1 -maxdepth 1 -name '.*.partial' -mmin +60 -exec rm -rf {} + 2>/dev/null || true
}

pinned_message() {
    echo "已固定（pinned）：current 保持 releases/$(current_name)，这次没有发布。$(sed -n 1p state/pinned)"
    echo "恢复发布：make unpin TARGET=…（再发布一次，或等下一次定时发布）"
}

# --- what changed between two releases ---------------------------------------------------------

changes() {  # manifests $1 (before) and $2 (after) → "新增 a、修改 c、删除 r" and some of the pages
    awk '
        FNR == 1 { n++ }
        { path = substr($0, 67) }
        n == 1 { old[path] = $1; next }
        { if (!(path in old)) add[path] = 1; else if (old[path] != $1) chg[path] = 1; delete old[path] }
        function pages(set, label,   p, out, count) {
            count = 0; out = ""
            for (p in set) if (p ~ /(^|\/)index\.html$/ || p ~ /\.html$/) {
                sub(/^\.\//, "/", p); sub(/index\.html$/, "", p)
                count++; if (count <= 3) out = out " " p
            }
            if (count > 3) out = out " …"
            return count ? "；" label "页面" out : ""
        }
        END {
            a = 0; c = 0; r = 0
            for (p in add) a++
            for (p in chg) c++
            for (p in old) r++
            printf "新增 %d、修改 %d、删除 %d 个文件%s%s%s\n", a, c, r, pages(add, "新增"), pages(chg, "修改"), pages(old, "删除")
        }' "$1" "$2"
}

show_releases() {
    now=$(current_name); prev=""
    [ -f state/pinned ] && echo "已固定（pinned）：$(sed -n 1p state/pinned)"
    [ -s state/takedown ] && echo "撤稿清单：$(tr '\n' ' ' < state/takedown)"
    for r in $(list_releases); do
        info "$r" digest > /dev/null
        mark="  "; [ "$r" = "$now" ] && mark="→ "
        t=$(printf '%s' "$r" | sed -E 's/^(....)(..)(..)T(..)(..)(..)Z-.*/\1-\2-\3 \4:\5:\6 UTC/')
        t=$(TZ=Asia/Shanghai date -d "$t" '+%Y-%m-%d %H:%M:%S 北京时间' 2>/dev/null || echo "$t")
        note=""; rolled_back "$(info "$r" digest)" && note="（已回滚，不会自动再上线）"
        echo "$mark$r  $t  提交 $(info "$r" commit)  $(info "$r" subject)$note"
        if [ -n "$prev" ]; then
            echo "    比上一次：$(changes "state/$prev.manifest" "state/$r.manifest")"
        else
            echo "    $(wc -l < "state/$r.manifest") 个文件"
        fi
        prev=$r
    done
    [ -n "$now" ] || echo "还没有发布"
}

# --- the verbs ---------------------------------------------------------------------------------

case $verb in
begin)
    [ $# -eq 1 ] && valid_name "$1" || die "用法：begin 发布名"
    if [ -f state/pinned ]; then pinned_message; exit 3; fi
    # the releases an upload links unchanged files to: the current one, then the newest two
    { current_name; list_releases | sort -r | head -n 2; } | awk 'NF && !seen[$0]++'
    ;;
rsync)
    [ $forced = yes ] || die "rsync 只经由 ssh 调用"
    # only the upload deploy.sh makes: `rsync --server -prce.iLsfxCIvu --delete --stats [--link-dest ../R/]… . releases/.NAME.partial/`
    [ "${1:-}" = --server ] || die "拒绝：只能上传（rsync --server）"
    shift
    flags=${1:-}
    printf '%s\n' "$flags" | grep -Eqx -- '-[prc]+(e\.[A-Za-z]+)?' || die "拒绝 rsync 选项 $flags"
    shift
    args=""
    while [ $# -gt 2 ]; do
        case $1 in
        --delete|--stats) args="$args $1" ;;
        --link-dest) printf '%s\n' "${2:-}" | grep -Eqx "\.\./$NAME_RE/" || die "拒绝 --link-dest ${2:-}"
            args="$args $1 $2"; shift ;;
        --link-dest=*) printf '%s\n' "${1#--link-dest=}" | grep -Eqx "\.\./$NAME_RE/" || die "拒绝 $1"; args="$args $1" ;;
        *) die "拒绝 rsync 选项 $1" ;;
        esac
        shift
    done
    [ $# -eq 2 ] && [ "$1" = . ] && printf '%s\n' "$2" | grep -Eqx "releases/\.$NAME_RE\.partial/?" ||
        die "拒绝：只能上传到 releases/.发布名.partial/"
    # shellcheck disable=SC2086
    exec rsync --server "$flags" $args . "$2"
    ;;
commit)
    [ $# -eq 1 ] && valid_name "$1" || die "用法：commit 发布名"
    name=$1; partial="releases/.$name.partial"
    meta=""
    [ -t 0 ] || meta=$(head -n 5 | tr -d '\r' | grep -E '^(commit|subject) ' | cut -c1-300 || true)
    lock
    [ -d "$partial" ] || die "没有上传好的 $partial"
    if [ -f state/pinned ]; then rm -rf "$partial"; pinned_message; exit 3; fi
    manifest "$partial" > "state/.$name.manifest"
    digest=$(digest_of_manifest "state/.$name.manifest")
    now=$(current_name)
    if [ -n "$now" ] && [ "$(info "$now" digest)" = "$digest" ]; then
        # the stamp is refreshed in place (a new file renamed over: the older releases' links keep theirs)
        if [ -f "$partial/release.json" ]; then
            cp "$partial/release.json" "releases/$now/.release.json.new" && mv -f "releases/$now/.release.json.new" "releases/$now/release.json"
        fi
        rm -rf "$partial" "state/.$name.manifest"
        echo "内容与当前发布 $now 相同：没有新建发布，current 不变（只更新了 release.json）"
        exit 0
    fi
    if rolled_back "$digest"; then
        rm -rf "$partial" "state/.$name.manifest"
        echo "内容与一次已回滚的发布相同：没有发布，current 保持 releases/$now。改正后再发布，或 make switch 指定这一次"
        exit 0
    fi
    [ ! -e "releases/$name" ] || { rm -rf "$partial"; die "发布 $name 已经存在（一秒内发布了两次？）：再发布一次"; }
    files=$(find "$partial" -type f | wc -l); written=$(find "$partial" -type f -links 1 | wc -l)
    mv "$partial" "releases/$name"
    mv "state/.$name.manifest" "state/$name.manifest"
    { printf '%s\n' "$meta" | grep . || true
      printf 'deployed %s\ndigest %s\nfiles %s\nwritten %s\nlinked %s\n' "$(now_utc)" "$digest" "$files" "$written" "$((files - written))"
    } > "state/$name.info"
    switch_to "$name"
    journal "deploy $name (was ${now:-none}): $written written, $((files - written)) linked"
    prune
    echo "current → releases/$name（$files 个文件：新写入 $written，与上一次相同、硬链接 $((files - written))）"
    ;;
releases)
    show_releases
    ;;
switch)
    [ $# -eq 1 ] && valid_name "$1" || die "用法：switch 发布名（make releases 列出它们）"
    lock
    [ -d "releases/$1" ] || die "没有发布 $1（make releases 列出现有的）"
    was=$(current_name)
    d=$(info "$1" digest)
    if [ -f state/rolledback ]; then grep -vx "$d" state/rolledback > state/rolledback.new || true; mv state/rolledback.new state/rolledback; fi
    switch_to "$1"
    journal "switch $1 (was ${was:-none})"
    echo "current → releases/$1（原来是 ${was:-无}）"
    [ ! -f state/pinned ] || echo "仍然固定（pinned）：$(sed -n 1p state/pinned)"
    ;;
rollback)
    [ $# -eq 0 ] || die "用法：rollback"
    lock
    now=$(current_name)
    [ -n "$now" ] || die "$base 下还没有 current"
    bad=$(info "$now" digest)
    # the newest release older than the current one whose content is neither the current one's nor
    # one rolled back from: never forward, never back onto a build that was taken off before
    target=""
    for r in $(list_releases | sort -r); do
        if [ "$(printf '%s\n%s\n' "$r" "$now" | sort | head -n 1)" = "$r" ] && [ "$r" != "$now" ]; then
            d=$(info "$r" digest)
            if [ "$d" != "$bad" ] && ! rolled_back "$d"; then target=$r; break; fi
        fi
    done
    [ -n "$target" ] || die "没有比 $now 更早、可以回滚到的发布（make releases 列出现有的）"
    rolled_back "$bad" || echo "$bad" >> state/rolledback
    switch_to "$target"
    journal "rollback $target (was $now)"
    echo "current → releases/$target（原来是 $now；同样内容的构建不会再自动上线）"
    [ -f state/pinned ] || echo "要让之后的发布都不覆盖这次回滚：make pin TARGET=…"
    ;;
pin)
    lock
    printf '%s 固定在 %s。%s\n' "$(now_utc)" "$(current_name)" "$*" > state/pinned
    journal "pin $(current_name) $*"
    echo "已固定（pinned）：之后的发布都不会改动 current（releases/$(current_name)），直到 make unpin"
    ;;
unpin)
    lock
    rm -f state/pinned
    journal "unpin"
    echo "已取消固定：下一次发布照常进行"
    ;;
takedown)
    [ $# -eq 1 ] && valid_page "$1" || die "用法：takedown /网页/路径/（以 / 开头，如 /news/2026/xxx/）"
    lock
    now=$(current_name)
    [ -n "$now" ] || die "$base 下还没有 current"
    out=$(take_down "releases/$now" "$1")
    if [ -z "$out" ] && ! grep -qx "$1" state/takedown 2>/dev/null; then
        die "当前发布里找不到 $1：网址写对了吗？（以 / 开头、与浏览器地址栏里域名之后的部分相同）"
    fi
    grep -qx "$1" state/takedown 2>/dev/null || echo "$1" >> state/takedown
    journal "takedown $1 from $now"
    echo "已撤下 $1（releases/$now）："
    [ -z "$out" ] || printf '%s\n' "$out"
    echo "它留在撤稿清单里：之后每次发布、切换、回滚都会删去它，直到 make takedown-clear PAGE=$1"
    ;;
takedown-clear)
    [ $# -eq 1 ] && { [ "$1" = all ] || valid_page "$1"; } || die "用法：takedown-clear /网页/路径/ 或 all"
    lock
    if [ "$1" = all ]; then : > state/takedown; else
        grep -qx "$1" state/takedown 2>/dev/null || die "撤稿清单里没有 $1"
        grep -vx "$1" state/takedown > state/takedown.new || true; mv state/takedown.new state/takedown
    fi
    journal "takedown-clear $1"
    echo "已从撤稿清单删去 $1：下一次发布会照源文件重新生成它（current 现在不变）"
    ;;
takedowns)
    if [ -s state/takedown ]; then cat state/takedown; else echo "撤稿清单是空的"; fi
    ;;
*)
    die "拒绝：不认识的命令 $verb（可用：begin commit releases switch rollback pin unpin takedown takedown-clear takedowns）"
    ;;
esac
