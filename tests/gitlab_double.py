"""A double of the part of GitLab's API the desk (Sveltia CMS, `backend: gitlab`, PKCE, editorial
workflow) uses, over a real bare Git repository: tests/test_desk_gitlab.py runs the real CMS
against it. There is no GitLab to run offline (not on PyPI, npm or Debian), so this is the next
best thing; it proves our configuration end to end, not that GitLab accepts it.

What it answers, each as GitLab's API documentation describes (shapes and status codes):
- OAuth 2 with PKCE: GET /oauth/authorize (a one-button sign-in page standing for GitLab's login
  and consent pages), POST /oauth/authorize (→ 302 to the registered redirect URI with a one-use
  code), POST /oauth/token (authorization_code with code_verifier checked against the S256
  challenge, client_id and redirect_uri; refresh_token). CORS as GitLab sends it for the token
  endpoint and /api/* (any origin, no credentials, preflight answered).
- REST /api/v4, a Bearer token on every call (401 otherwise): the user, project members, commits
  (create with actions and start_branch, list by ref_name and path, statuses), raw files,
  branches (get, delete), merge requests (list by labels or source_branch, create, edit with
  add_labels/remove_labels/title/state_event, get one with detailed_merge_status, diffs, merge),
  deployments, avatar.
- GraphQL /api/graphql: exactly the queries the pinned CMS sends (rootRef, the recursive tree's
  blobs with pagination, blobs by paths, the tree's lastCommit).

Two users: an editor with the Developer role (30) and the 终审 reviewer with the Maintainer role
(40). `main` is protected: only Maintainers push to it or merge into it; a Developer's merge is
answered 401 as the merge API documents ("You don't have permissions to accept this merge
request"). "Pipelines must succeed" is on: a merge request whose head commit's pipeline has not
passed (`pipelines`, set by the test: the double runs no CI) is answered 405 with
detailed_merge_status `ci_must_pass` or `ci_still_running`. Branches are real Git branches; a commit is made with Git's plumbing on a temporary
index; merging a merge request is a real merge commit on main (`git merge-tree`).

Every request is recorded (`requests`); anything not listed above is answered 500 and recorded in
`unknown`, so a CMS upgrade that asks for something new fails the test instead of passing by luck.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import os
import re
import secrets
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

DEVELOPER, MAINTAINER = 30, 40
EXPOSED = ("Link, X-Total, X-Total-Pages, X-Per-Page, X-Page, X-Next-Page, X-Prev-Page, X-Gitlab-Blob-Id, "
           "X-Gitlab-Commit-Id, X-Gitlab-Encoding, X-Gitlab-File-Name, X-Gitlab-File-Path, X-Gitlab-Ref, "
           "X-Gitlab-Size, X-Request-Id, ETag")


def _q(query: str) -> str:
    return re.sub(r"\s+", " ", query).strip()


# The GraphQL queries answered: Sveltia CMS 0.221.1's own (src/lib/services/backends/git/gitlab/),
# whitespace collapsed. A query not here is an unknown request.
QUERIES = {
    "root_ref": _q("query($fullPath: ID!) { project(fullPath: $fullPath) { repository { rootRef } } }"),
    "last_commit": _q("query($fullPath: ID!, $branch: String!) { project(fullPath: $fullPath) { repository {"
                      " tree(ref: $branch) { lastCommit { sha message } } } } }"),
    "file_list": _q("query($fullPath: ID!, $branch: String!, $cursor: String!) { project(fullPath: $fullPath) {"
                    " repository { tree(ref: $branch, recursive: true) { blobs(after: $cursor) { nodes { type path sha }"
                    " pageInfo { endCursor hasNextPage } } } } } }"),
    "blobs_text": _q("query($fullPath: ID!, $branch: String!, $paths: [String!]!) { project(fullPath: $fullPath) {"
                     " repository { blobs(ref: $branch, paths: $paths) { nodes { rawTextBlob } } } } }"),
    "blobs_full": _q("query($fullPath: ID!, $branch: String!, $paths: [String!]!) { project(fullPath: $fullPath) {"
                     " repository { blobs(ref: $branch, paths: $paths) { nodes { path oid size rawTextBlob } } } } }"),
}
PAGE = 100  # GitLab's GraphQL page size


@dataclass
class User:
    id: int
    username: str
    name: str
    email: str
    access_level: int


@dataclass
class App:
    """An OAuth application (GitLab: 用户设置 → 应用, or an instance-wide application)."""
    client_id: str
    redirect_uri: str
    scopes: str = "api"
    confidential: bool = False
    secret: str = ""


@dataclass
class MergeRequest:
    iid: int
    id: int
    title: str
    source_branch: str
    target_branch: str
    author: User
    labels: list[str]
    description: str
    remove_source_branch: bool
    created_at: str
    updated_at: str
    state: str = "opened"
    merge_commit_sha: str | None = None
    merged_by: User | None = None


@dataclass
class Record:
    method: str
    path: str
    query: dict
    body: object
    status: int
    user: str = ""
    kind: str = ""


class GitLabDouble:
    """The double: `start()`, then `origin`; `register(app)`; `git(...)` on the bare repository."""

    def __init__(self, workdir: Path, today: dt.date, project: str = "school/site", branch: str = "main"):
        self.workdir = Path(workdir)
        # the double's own clock (no test reads the wall clock): `today` at 09:00 Beijing time,
        # a second later at each event, so that every date GitLab gives is in order
        self._start = dt.datetime.combine(today, dt.time(1, 0), tzinfo=dt.timezone.utc)
        self._ticks = 0
        self.project, self.branch = project, branch
        self.repo = self.workdir / "site.git"
        self.users = {
            "editor": User(2, "editor", "王编辑", "editor@school.example.cn", DEVELOPER),
            "reviewer": User(3, "reviewer", "林终审", "reviewer@school.example.cn", MAINTAINER),
        }
        self.apps: dict[str, App] = {}
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, User] = {}
        self.refresh: dict[str, User] = {}
        self.merge_requests: dict[int, MergeRequest] = {}
        self.protected = {branch: {"push": MAINTAINER, "merge": MAINTAINER}}
        # "Pipelines must succeed": a commit's pipeline result, as the test sets it (the double runs
        # no CI; a commit without a result has its pipeline passed). Auto-merge is not modelled.
        self.pipelines_must_succeed = True
        self.pipelines: dict[str, str] = {}
        self.requests: list[Record] = []
        self.unknown: list[Record] = []
        self.lock = threading.RLock()
        self._ids = iter(range(1000, 10**6))
        self.server: ThreadingHTTPServer | None = None
        subprocess.run(["git", "init", "-q", "--bare", "-b", branch, str(self.repo)], check=True)

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> str:
        double = self

        class Handler(_Handler):
            pass
        Handler.double = double
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self.origin

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def register(self, app: App) -> None:
        self.apps[app.client_id] = app

    # --- git ---------------------------------------------------------------------------------

    def git(self, *args: str, input: bytes | None = None, env: dict | None = None, check: bool = True) -> str:
        result = subprocess.run(["git", "--git-dir", str(self.repo), *args], input=input, capture_output=True,
                                env={**os.environ, **(env or {})})
        if check and result.returncode:
            raise RuntimeError(f"git {' '.join(args)}: {result.stderr.decode(errors='replace')}")
        return result.stdout.decode("utf-8", errors="surrogateescape")

    def head(self, branch: str) -> str | None:
        out = self.git("rev-parse", "--verify", "-q", f"refs/heads/{branch}^{{commit}}", check=False).strip()
        return out or None

    def show(self, ref: str, path: str) -> bytes | None:
        result = subprocess.run(["git", "--git-dir", str(self.repo), "cat-file", "blob", f"{ref}:{path}"],
                                capture_output=True)
        return result.stdout if result.returncode == 0 else None

    def tree(self, ref: str) -> list[tuple[str, str, str]]:
        """(type, oid, path) of every file under `ref`, recursively."""
        out = self.git("ls-tree", "-r", "-z", ref)
        rows = []
        for entry in filter(None, out.split("\0")):
            meta, path = entry.split("\t", 1)
            _, kind, oid = meta.split()
            rows.append((kind, oid, path))
        return rows

    def commit_info(self, sha: str) -> dict:
        fmt = "%H%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%P%x00%B"
        h, an, ae, ad, cn, ce, cd, parents, message = self.git("show", "-s", f"--format={fmt}", sha).split("\0", 8)
        message = message.rstrip("\n") + "\n"
        return {"id": h, "short_id": h[:8], "created_at": cd, "parent_ids": parents.split(),
                "title": message.split("\n", 1)[0], "message": message, "author_name": an, "author_email": ae,
                "authored_date": ad, "committer_name": cn, "committer_email": ce, "committed_date": cd,
                "trailers": {}, "web_url": f"{self.origin}/{self.project}/-/commit/{h}"}

    def now(self) -> dt.datetime:
        with self.lock:
            self._ticks += 1
            return self._start + dt.timedelta(seconds=self._ticks)

    def stamp(self) -> str:
        """A time as GitLab writes it: 2026-11-23T01:00:05.000Z."""
        return self.now().strftime("%Y-%m-%dT%H:%M:%S.000Z")

    def _identity(self, user: User) -> dict:
        now = self.now().isoformat()
        return {"GIT_AUTHOR_NAME": user.name, "GIT_AUTHOR_EMAIL": user.email, "GIT_AUTHOR_DATE": now,
                "GIT_COMMITTER_NAME": user.name, "GIT_COMMITTER_EMAIL": user.email, "GIT_COMMITTER_DATE": now}

    def push_tree(self, folder: Path, message: str = "学校网站") -> str:
        """Commit a folder's files as the first commit of main (the school's repository as it is)."""
        with tempfile.TemporaryDirectory() as tmp:
            env = {"GIT_INDEX_FILE": str(Path(tmp) / "index"), "GIT_WORK_TREE": str(folder)}
            self.git("add", "-A", ".", env={**env, "GIT_DIR": str(self.repo)})
            tree = self.git("write-tree", env=env).strip()
        sha = self.git("commit-tree", tree, "-m", message, env=self._identity(self.users["reviewer"])).strip()
        self.git("update-ref", f"refs/heads/{self.branch}", sha)
        return sha

    def commit(self, user: User, branch: str, start: str | None, message: str, actions: list[dict]) -> tuple[int, dict]:
        base = self.head(start or branch)
        if start is not None and self.head(branch):
            return 400, {"message": f"A branch called '{branch}' already exists. Switch to that branch in order to make changes"}
        if base is None:
            return 400, {"message": "You can only create or edit files when you are on a branch"}
        rule = self.protected.get(branch)
        if rule and user.access_level < rule["push"]:
            return 403, {"message": "You are not allowed to push into this branch"}
        with tempfile.TemporaryDirectory() as tmp:
            env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
            self.git("read-tree", base, env=env)
            existing = {path for _, _, path in self.tree(base)}
            for action in actions:
                kind, path = action.get("action"), action.get("file_path")
                previous = action.get("previous_path")
                if kind not in ("create", "update", "delete", "move") or not path:
                    return 400, {"message": "actions is invalid"}  # GitLab's validation error
                if kind == "create" and path in existing:
                    return 400, {"message": "A file with this name already exists"}
                if kind in ("update", "delete") and path not in existing:
                    return 400, {"message": "A file with this name doesn't exist"}
                if kind == "move" and previous not in existing:
                    return 400, {"message": "A file with this name doesn't exist"}
                if kind in ("delete", "move"):
                    self.git("update-index", "--force-remove", previous if kind == "move" else path, env=env)
                    existing.discard(previous if kind == "move" else path)
                if kind in ("create", "update", "move"):
                    if "content" in action and action["content"] is not None:
                        data = action["content"]
                        data = base64.b64decode(data) if action.get("encoding") == "base64" else data.encode("utf-8")
                        oid = self.git("hash-object", "-w", "--stdin", input=data).strip()
                    else:  # a move without content keeps the file's content
                        oid = self.git("rev-parse", f"{base}:{previous}").strip()
                    self.git("update-index", "--add", "--cacheinfo", f"100644,{oid},{path}", env=env)
                    existing.add(path)
            tree = self.git("write-tree", env=env).strip()
        sha = self.git("commit-tree", tree, "-p", base, "-m", message, env=self._identity(user)).strip()
        self.git("update-ref", f"refs/heads/{branch}", sha, *([] if start is not None else [base]))
        return 201, self.commit_info(sha)

    def merge(self, mr: MergeRequest, user: User, message: str) -> str | None:
        """A merge commit of the source branch into the target; None on a conflict."""
        ours, theirs = self.head(mr.target_branch), self.head(mr.source_branch)
        result = subprocess.run(["git", "--git-dir", str(self.repo), "merge-tree", "--write-tree", ours, theirs],
                                capture_output=True, text=True)
        if result.returncode:
            return None
        tree = result.stdout.split("\n", 1)[0].strip()
        text = (f"Merge branch '{mr.source_branch}' into '{mr.target_branch}'\n\n{message}\n\n"
                f"See merge request {self.project}!{mr.iid}")
        sha = self.git("commit-tree", tree, "-p", ours, "-p", theirs, "-m", text, env=self._identity(user)).strip()
        self.git("update-ref", f"refs/heads/{mr.target_branch}", sha, ours)
        return sha

    # --- shapes ------------------------------------------------------------------------------

    def avatar(self, user: User) -> str | None:
        """The reviewer has uploaded a photo (served by GitLab itself); the editor has none, and
        with Gravatar switched off (OPERATIONS.md#desk) GitLab gives no address for it."""
        return f"{self.origin}/uploads/-/system/user/avatar/{user.id}/avatar.png" if user.access_level >= MAINTAINER else None

    def user_json(self, user: User, full: bool = False) -> dict:
        out = {"id": user.id, "username": user.username, "name": user.name, "state": "active", "locked": False,
               "avatar_url": self.avatar(user), "web_url": f"{self.origin}/{user.username}"}
        if full:
            out.update({"email": user.email, "public_email": None, "bot": False, "created_at": "2026-01-05T08:00:00Z",
                        "is_admin": False, "can_create_project": True, "two_factor_enabled": False})
        return out

    def mr_json(self, mr: MergeRequest) -> dict:
        draft = bool(re.match(r"^\s*(\[draft\]|\(draft\)|draft:|draft\s|\[wip\]|\(wip\)|wip:|wip\s)", mr.title, re.I))
        if mr.state != "opened":
            status = "not_open"
        elif draft:
            status = "draft_status"
        elif not self.head(mr.source_branch):
            status = "broken_status"
        elif self.pipelines_must_succeed and self.pipelines.get(self.head(mr.source_branch), "success") != "success":
            running = self.pipelines[self.head(mr.source_branch)] in ("created", "pending", "running")
            status = "ci_still_running" if running else "ci_must_pass"
        else:
            status = "mergeable"
        sha = self.head(mr.source_branch) if mr.state == "opened" else None
        return {
            "id": mr.id, "iid": mr.iid, "project_id": 1, "title": mr.title, "description": mr.description,
            "state": mr.state, "created_at": mr.created_at, "updated_at": mr.updated_at,
            "merged_by": self.user_json(mr.merged_by) if mr.merged_by else None,
            "merge_user": self.user_json(mr.merged_by) if mr.merged_by else None,
            "merged_at": mr.updated_at if mr.state == "merged" else None, "closed_at": None,
            "target_branch": mr.target_branch, "source_branch": mr.source_branch,
            "author": self.user_json(mr.author), "assignees": [], "reviewers": [],
            "source_project_id": 1, "target_project_id": 1, "labels": list(mr.labels), "draft": draft,
            "work_in_progress": draft, "merge_when_pipeline_succeeds": False, "merge_status":
                "can_be_merged" if status == "mergeable" else "cannot_be_merged",
            "detailed_merge_status": status, "sha": sha, "merge_commit_sha": mr.merge_commit_sha,
            "squash_commit_sha": None, "should_remove_source_branch": None,
            "force_remove_source_branch": mr.remove_source_branch, "squash": False,
            "web_url": f"{self.origin}/{self.project}/-/merge_requests/{mr.iid}",
            "references": {"short": f"!{mr.iid}", "full": f"{self.project}!{mr.iid}"},
        }

    def branch_json(self, name: str) -> dict:
        sha = self.head(name)
        rule = self.protected.get(name)
        return {"name": name, "merged": False, "protected": bool(rule), "default": name == self.branch,
                "developers_can_push": not rule, "developers_can_merge": not rule, "can_push": True,
                "web_url": f"{self.origin}/{self.project}/-/tree/{name}", "commit": self.commit_info(sha)}


def _png() -> bytes:
    """A 48×48 grey PNG: a user's photo."""
    import struct
    import zlib
    raw = b"".join(b"\x00" + b"\x90" * 48 * 3 for _ in range(48))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 48, 48, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class _Handler(BaseHTTPRequestHandler):
    double: GitLabDouble
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    # --- plumbing ----------------------------------------------------------------------------

    def _send(self, status: int, body: object = None, headers: dict | None = None, raw: bytes | None = None,
              content_type: str = "application/json") -> None:
        data = raw if raw is not None else (b"" if body is None else json.dumps(body, ensure_ascii=False).encode())
        self.send_response(status)
        if self._cors:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Expose-Headers", EXPOSED)
            self.send_header("Vary", "Origin")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        self._record.status = status

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if not raw:
            return {}
        if kind == "application/json":
            return json.loads(raw)
        if kind == "application/x-www-form-urlencoded":
            return {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        return raw.decode(errors="replace")

    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
        self._cors = path.startswith("/api/") or path == "/oauth/token"
        self._record = Record(self.command, path, query, None, 0)
        d = self.double
        with d.lock:
            d.requests.append(self._record)
        try:
            if self.command == "OPTIONS" and self._cors:  # a CORS preflight, as rack-cors answers it
                self._record.kind = "preflight"
                allow = self.headers.get("Access-Control-Request-Headers", "")
                return self._send(200, raw=b"", headers={
                    "Access-Control-Allow-Methods": "POST" if path == "/oauth/token" else "GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD",
                    "Access-Control-Allow-Headers": allow, "Access-Control-Max-Age": "7200"}, content_type="text/plain")
            body = self._body()  # read whatever the method, so that the connection stays in step
            self._record.body = body
            if path.startswith("/oauth/"):
                return self._oauth(path, query, body)
            if path == "/favicon.ico":  # the browser's, for GitLab's sign-in page
                self._record.kind = "favicon"
                return self._send(404, raw=b"", content_type="text/plain")
            m = re.fullmatch(r"/uploads/-/system/user/avatar/(\d+)/avatar\.png", path)
            if m and self.command == "GET":  # a user's photo: public, as GitLab serves it
                self._record.kind = "avatar image"
                return self._send(200, raw=_png(), content_type="image/png")
            if path.startswith("/api/"):
                user = d.tokens.get((self.headers.get("Authorization") or "").removeprefix("Bearer ").strip())
                if not user:
                    self._record.kind = "unauthorized"
                    return self._send(401, {"message": "401 Unauthorized"})
                self._record.user = user.username
                with d.lock:
                    if path == "/api/graphql" and self.command == "POST":
                        return self._graphql(user, body)
                    if path.startswith("/api/v4/"):
                        return self._rest(user, self.command, path[len("/api/v4"):], query, body)
            return self._unknown()
        except (BrokenPipeError, ConnectionResetError):  # the browser went away (a window closed)
            self._record.kind += " (client gone)"
            self.close_connection = True
        except Exception as error:  # noqa: BLE001  the double's own mistake: loud, recorded
            self._record.kind = f"error: {error!r}"
            d.unknown.append(self._record)
            return self._send(500, {"message": f"500 Internal Server Error (double: {error!r})"})

    def _unknown(self) -> None:
        self._record.kind = "unknown"
        self.double.unknown.append(self._record)
        self._send(500, {"message": "500 the GitLab double does not know this request"})

    do_GET = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = do_HEAD = _dispatch

    # --- OAuth -------------------------------------------------------------------------------

    def _oauth(self, path: str, query: dict, body) -> None:
        d = self.double
        if path == "/oauth/authorize" and self.command in ("GET", "POST"):
            params = query if self.command == "GET" else body
            self._record.kind = "authorize"
            app = d.apps.get(params.get("client_id", ""))
            if not app or params.get("redirect_uri") != app.redirect_uri:
                # GitLab shows this on its own page, never redirecting to an unregistered address
                return self._page(400, "授权时出错", "The redirect uri included is not valid." if app else
                                  "Client authentication failed due to unknown client, no client authentication "
                                  "included, or unsupported authentication method.")
            error = None
            if params.get("response_type") != "code":
                error = "unsupported_response_type"
            elif not set(params.get("scope", "").split()) <= set(app.scopes.split()):
                error = "invalid_scope"
            elif params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
                error = "invalid_request"
            if error:
                return self._redirect(app.redirect_uri, {"error": error, "state": params.get("state", "")})
            if self.command == "GET":
                return self._consent(app, params)
            user = d.users.get(params.get("login", ""))
            if not user:
                return self._consent(app, params, "用户名或密码错误")
            code = secrets.token_hex(32)
            d.codes[code] = {"client_id": app.client_id, "redirect_uri": params["redirect_uri"], "user": user,
                             "challenge": params["code_challenge"], "scope": params.get("scope", "")}
            return self._redirect(app.redirect_uri, {"code": code, "state": params.get("state", "")})
        if path == "/oauth/token" and self.command == "POST":
            self._record.kind = "token"
            return self._token(body if isinstance(body, dict) else {})
        return self._unknown()

    def _token(self, body: dict) -> None:
        d = self.double
        invalid_grant = {"error": "invalid_grant", "error_description":
                         "The provided authorization grant is invalid, expired, revoked, does not match the "
                         "redirection URI used in the authorization request, or was issued to another client."}
        app = d.apps.get(body.get("client_id", ""))
        if not app or (app.confidential and body.get("client_secret") != app.secret):
            return self._send(401, {"error": "invalid_client", "error_description":
                                    "Client authentication failed due to unknown client, no client authentication "
                                    "included, or unsupported authentication method."})
        grant = body.get("grant_type")
        if grant == "authorization_code":
            with d.lock:
                code = d.codes.pop(body.get("code", ""), None)  # one use
            if not code or code["client_id"] != app.client_id or code["redirect_uri"] != body.get("redirect_uri"):
                return self._send(400, invalid_grant)
            verifier = body.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if not verifier or challenge != code["challenge"]:
                return self._send(400, invalid_grant)
            user = code["user"]
        elif grant == "refresh_token":
            with d.lock:
                user = d.refresh.pop(body.get("refresh_token", ""), None)
                if user:  # the tokens it replaces are revoked
                    for token in [t for t, u in d.tokens.items() if u is user]:
                        del d.tokens[token]
            if not user:
                return self._send(400, invalid_grant)
            self._record.kind = "token (refresh)"
        else:
            return self._send(400, {"error": "unsupported_grant_type", "error_description":
                                    "The authorization grant type is not supported by the authorization server."})
        access, refresh = secrets.token_hex(32), secrets.token_hex(32)
        with d.lock:
            d.tokens[access], d.refresh[refresh] = user, user
        self._send(200, {"access_token": access, "token_type": "Bearer", "expires_in": 7200,
                         "refresh_token": refresh, "scope": "api", "created_at": int(d.now().timestamp())})

    def _redirect(self, uri: str, params: dict) -> None:
        self._send(302, raw=b"", headers={"Location": f"{uri}?{urlencode(params)}"}, content_type="text/html")

    def _page(self, status: int, title: str, text: str) -> None:
        page = (f"<!doctype html><html lang=zh-CN><meta charset=utf-8><title>{html.escape(title)}</title>"
                f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></html>")
        self._send(status, raw=page.encode(), content_type="text/html; charset=utf-8")

    def _consent(self, app: App, params: dict, error: str = "") -> None:
        """GitLab's sign-in and consent pages in one: who signs in, and 授权."""
        hidden = "".join(f'<input type=hidden name="{html.escape(k)}" value="{html.escape(v)}">'
                         for k, v in params.items() if k != "login")
        page = (f"<!doctype html><html lang=zh-CN><meta charset=utf-8><title>授权 {html.escape(app.client_id)}</title>"
                f"<h1>授权编辑台使用您的账户？</h1><p>{html.escape(error)}</p>"
                f"<p>应用将获得以下权限：{html.escape(params.get('scope', ''))}</p>"
                f'<form method=post action="/oauth/authorize">{hidden}'
                f'<label>用户名 <input name=login autocomplete=username></label>'
                f"<button type=submit>授权</button></form></html>")
        self._send(200, raw=page.encode(), content_type="text/html; charset=utf-8")

    # --- GraphQL -----------------------------------------------------------------------------

    def _graphql(self, user: User, body) -> None:
        d = self.double
        query, variables = _q(body.get("query", "")), body.get("variables") or {}
        name = next((k for k, v in QUERIES.items() if v == query), None)
        self._record.kind = f"graphql {name}"
        if name is None:
            return self._unknown()
        if variables.get("fullPath") != d.project:
            return self._send(200, {"data": {"project": None}})
        if name == "root_ref":
            return self._send(200, {"data": {"project": {"repository": {"rootRef": d.branch if d.head(d.branch) else None}}}})
        ref = variables.get("branch", "")
        if not d.head(ref):
            empty = {"last_commit": {"tree": None}, "file_list": {"tree": None}}.get(name, {"blobs": {"nodes": []}})
            return self._send(200, {"data": {"project": {"repository": empty}}})
        if name == "last_commit":
            info = d.commit_info(d.head(ref))
            return self._send(200, {"data": {"project": {"repository": {"tree": {"lastCommit": {
                "sha": info["id"], "message": info["message"].rstrip("\n")}}}}}})
        if name == "file_list":
            rows = [r for r in d.tree(ref) if r[0] == "blob"]
            start = int(base64.b64decode(variables["cursor"]).decode()) if variables.get("cursor") else 0
            page = rows[start:start + PAGE]
            end = start + len(page)
            return self._send(200, {"data": {"project": {"repository": {"tree": {"blobs": {
                "nodes": [{"type": kind, "path": path, "sha": oid} for kind, oid, path in page],
                "pageInfo": {"endCursor": base64.b64encode(str(end).encode()).decode(),
                             "hasNextPage": end < len(rows)}}}}}}})
        nodes = []
        for path in variables.get("paths", []):
            data = d.show(ref, path)
            if data is None:
                continue
            try:
                text = None if b"\0" in data else data.decode("utf-8")
            except UnicodeDecodeError:
                text = None
            node = {"rawTextBlob": text}
            if name == "blobs_full":
                node = {"path": path, "oid": d.git("rev-parse", f"{ref}:{path}").strip(), "size": str(len(data)), **node}
            nodes.append(node)
        self._send(200, {"data": {"project": {"repository": {"blobs": {"nodes": nodes}}}}})

    # --- REST --------------------------------------------------------------------------------

    def _rest(self, user: User, method: str, path: str, query: dict, body) -> None:
        d = self.double
        if (method, path) == ("GET", "/user"):
            self._record.kind = "user"
            return self._send(200, d.user_json(user, full=True))
        if (method, path) == ("GET", "/avatar"):
            self._record.kind = "avatar"
            who = next((u for u in d.users.values() if u.email == query.get("email")), None)
            return self._send(200, {"avatar_url": d.avatar(who) if who else None})
        prefix = f"/projects/{quote(d.project, safe='')}"
        if not path.startswith(prefix):
            return self._unknown()
        rest = path[len(prefix):]
        if method == "GET" and rest == "/users":
            self._record.kind = "project users"
            term = query.get("search", "").lower()
            found = [u for u in d.users.values() if term in u.username.lower() or term in u.name.lower()]
            return self._send(200, [d.user_json(u) for u in found])
        if rest == "/repository/commits":
            if method == "POST":
                self._record.kind = "commit"
                branch, start = body.get("branch"), body.get("start_branch")
                status, out = d.commit(user, branch, start, body.get("commit_message", ""), body.get("actions") or [])
                return self._send(status, out)
            if method == "GET":
                self._record.kind = "commits of a file"
                ref = query.get("ref_name") or d.branch
                if not d.head(ref):
                    return self._send(404, {"message": "404 Reference Not Found"})
                args = ["log", "--format=%H", f"-n{int(query.get('per_page', 20))}", ref]
                shas = d.git(*args, "--", query["path"]).split() if query.get("path") else d.git(*args).split()
                return self._send(200, [d.commit_info(s) for s in shas])
        m = re.fullmatch(r"/repository/commits/([0-9a-f]{40})/statuses", rest)
        if m and method == "GET":
            self._record.kind = "commit statuses"
            return self._send(200, [])  # no pipeline in the double
        m = re.fullmatch(r"/repository/files/(.+)/raw", rest)
        if m and method == "GET":
            self._record.kind = "raw file"
            data = d.show(query.get("ref") or d.branch, unquote(m.group(1)))
            if data is None:
                return self._send(404, {"message": "404 File Not Found"})
            return self._send(200, raw=data, content_type="application/octet-stream")
        m = re.fullmatch(r"/repository/branches/(.+)", rest)
        if m:
            name = unquote(m.group(1))
            if method == "GET":
                self._record.kind = "branch"
                return self._send(200, d.branch_json(name)) if d.head(name) else self._send(404, {"message": "404 Branch Not Found"})
            if method == "DELETE":
                self._record.kind = "delete branch"
                if not d.head(name):
                    return self._send(404, {"message": "404 Branch Not Found"})
                if name in d.protected or user.access_level < DEVELOPER:
                    return self._send(403, {"message": "403 Forbidden"})
                d.git("update-ref", "-d", f"refs/heads/{name}")
                return self._send(204, raw=b"")
        if rest == "/deployments" and method == "GET":
            self._record.kind = "deployments"
            return self._send(200, [])
        if rest == "/merge_requests":
            return self._mr_list(query) if method == "GET" else self._mr_create(user, body) if method == "POST" else self._unknown()
        m = re.fullmatch(r"/merge_requests/(\d+)(/diffs|/merge)?", rest)
        if m:
            mr = d.merge_requests.get(int(m.group(1)))
            if not mr:
                return self._send(404, {"message": "404 Not found"})
            action = m.group(2) or ""
            if (method, action) == ("GET", ""):
                self._record.kind = "merge request"
                return self._send(200, d.mr_json(mr))
            if (method, action) == ("PUT", ""):
                return self._mr_edit(mr, body)
            if (method, action) == ("GET", "/diffs"):
                return self._mr_diffs(mr)
            if (method, action) == ("PUT", "/merge"):
                return self._mr_merge(mr, user, body)
        return self._unknown()

    def _mr_list(self, query: dict) -> None:
        d = self.double
        self._record.kind = "merge requests"
        found = [mr for mr in d.merge_requests.values() if query.get("state", "all") in ("all", mr.state)]
        if "labels" in query:
            wanted = [label for label in query["labels"].split(",") if label]
            found = [mr for mr in found if all(label in mr.labels for label in wanted)]
        if "source_branch" in query:
            found = [mr for mr in found if mr.source_branch == query["source_branch"]]
        found.sort(key=lambda mr: mr.updated_at, reverse=True)
        self._send(200, [d.mr_json(mr) for mr in found[:int(query.get("per_page", 20))]])

    def _mr_create(self, user: User, body: dict) -> None:
        d = self.double
        self._record.kind = "create merge request"
        source, target = body.get("source_branch"), body.get("target_branch")
        if not body.get("title") or not source or not target:
            return self._send(400, {"message": "title, source_branch, target_branch are missing"})
        if not d.head(source) or not d.head(target):
            return self._send(404, {"message": "404 Branch Not Found"})
        taken = [mr for mr in d.merge_requests.values() if mr.source_branch == source and mr.state == "opened"]
        if taken:
            return self._send(409, {"message": [f"Another open merge request already exists for this source branch: !{taken[0].iid}"]})
        iid = len(d.merge_requests) + 1
        labels = body.get("labels") or []
        labels = [x for x in (labels.split(",") if isinstance(labels, str) else labels) if x]
        now = d.stamp()
        mr = MergeRequest(iid, next(d._ids), body["title"], source, target, user, labels, body.get("description", ""),
                          bool(body.get("remove_source_branch")), now, now)
        d.merge_requests[iid] = mr
        self._send(201, d.mr_json(mr))

    def _mr_edit(self, mr: MergeRequest, body: dict) -> None:
        self._record.kind = "edit merge request"
        if "title" in body:
            mr.title = body["title"]
        for label in filter(None, str(body.get("remove_labels", "")).split(",")):
            if label in mr.labels:
                mr.labels.remove(label)
        for label in filter(None, str(body.get("add_labels", "")).split(",")):
            if label not in mr.labels:
                mr.labels.append(label)
        if body.get("state_event") == "close" and mr.state == "opened":
            mr.state = "closed"
        elif body.get("state_event") == "reopen" and mr.state == "closed":
            mr.state = "opened"
        mr.updated_at = self.double.stamp()
        self._send(200, self.double.mr_json(mr))

    def _mr_diffs(self, mr: MergeRequest) -> None:
        d = self.double
        self._record.kind = "merge request diffs"
        base = d.git("merge-base", d.head(mr.target_branch), d.head(mr.source_branch)).strip()
        out = d.git("diff", "--name-status", "-z", "-M", base, d.head(mr.source_branch))
        fields, diffs = out.split("\0"), []
        i = 0
        while i < len(fields) - 1:
            status = fields[i]
            if status.startswith("R"):
                old, new = fields[i + 1], fields[i + 2]
                i += 3
            else:
                old = new = fields[i + 1]
                i += 2
            diffs.append({"old_path": old, "new_path": new, "a_mode": "100644", "b_mode": "100644", "diff": "",
                          "new_file": status == "A", "renamed_file": status.startswith("R"),
                          "deleted_file": status == "D", "generated_file": False})
        self._send(200, diffs)

    def _mr_merge(self, mr: MergeRequest, user: User, body: dict) -> None:
        d = self.double
        self._record.kind = "merge"
        rule = d.protected.get(mr.target_branch)
        if rule and user.access_level < rule["merge"]:
            # "401 Unauthorized: You don't have permissions to accept this merge request" (merge API)
            return self._send(401, {"message": "401 Unauthorized"})
        status = d.mr_json(mr)["detailed_merge_status"]
        if status != "mergeable":
            return self._send(405, {"message": "405 Method Not Allowed"})
        if body.get("sha") and body["sha"] != d.head(mr.source_branch):
            return self._send(409, {"message": "SHA does not match HEAD of source branch: " + d.head(mr.source_branch)})
        sha = d.merge(mr, user, body.get("merge_commit_message") or mr.title)
        if sha is None:
            return self._send(406, {"message": "Branch cannot be merged"})
        mr.state, mr.merge_commit_sha, mr.merged_by, mr.updated_at = "merged", sha, user, d.stamp()
        if body.get("should_remove_source_branch") or mr.remove_source_branch:
            d.git("update-ref", "-d", f"refs/heads/{mr.source_branch}")
        self._send(200, d.mr_json(mr))
