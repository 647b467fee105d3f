"""The two routes from CI to a server inside the school's network.

The pull (deploy/pack.sh → deploy/pull.sh, run by deploy/systemd/qcdx-pull.timer): the server
fetches the newest tarball from an artifact folder or over HTTP (GitLab's job-artifact address,
with its token header), checks its SHA-256 and contents, and switches `current`; nothing connects
to the server. The push over the real sshd on a loopback port other than 22, with the deploy key
restricted to deploy/receive.sh (`restrict,command=…`)."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACK, PULL, DEPLOY = (ROOT / "deploy" / name for name in ("pack.sh", "pull.sh", "deploy.sh"))
UNITS = ROOT / "deploy" / "systemd"


def site(folder: Path, version: str) -> Path:
    for name in ("index.html", "news/index.html", "news/a/index.html", "assets/site.css"):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{version if name == 'news/index.html' else 'same'} {name}\n" * 200, encoding="utf-8")
    return folder


@functools.cache
def signing(name: str = "ci") -> tuple[Path, Path]:
    """An SSH key as CI's RELEASE_SIGNING_KEY, and the server's allowed-signers file listing it."""
    folder = Path(tempfile.mkdtemp(prefix=f"qcdx-signing-{name}-"))
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"qcdx-{name}", "-f", str(folder / "key")],
                   check=True)
    public = (folder / "key.pub").read_text(encoding="utf-8").split()
    (folder / "release_signers").write_text(f'qcdx-{name} namespaces="qcdx-release" {public[0]} {public[1]}\n',
                                            encoding="utf-8")
    (folder / "key").chmod(0o644)  # as CI writes a File variable: pack.sh copies it to a private file
    return folder / "key", folder / "release_signers"


def pack(folder: Path, artifacts: Path, when: str, key: Path | None | str = "ci") -> subprocess.CompletedProcess:
    env = {**os.environ, "RELEASE_TIME": when, "RELEASE_SUBJECT": f"发布 {folder.name}"}
    if key is not None:
        env["RELEASE_SIGNING_KEY"] = str(signing()[0] if key == "ci" else key)
    result = subprocess.run(["bash", str(PACK), str(folder), str(artifacts)], capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return result


def pull(base: Path, source: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", str(PULL), str(base), source], capture_output=True, text=True,
                          env={**os.environ, "QCDX_SIGNERS": str(signing()[1]), **env}, timeout=60)


def live(base: Path) -> str:
    return (base / "current" / "news" / "index.html").read_text(encoding="utf-8").split(" ", 1)[0]


def test_the_server_pulls_verified_releases_from_an_artifact_folder(tmp_path):
    base, artifacts = tmp_path / "srv", tmp_path / "artifacts"
    pack(site(tmp_path / "v1", "v1"), artifacts, "20260101T000001Z")
    first = pull(base, str(artifacts))
    assert first.returncode == 0, first.stderr
    assert live(base) == "v1"
    assert pull(base, str(artifacts)).stdout.startswith("已是最新")  # the timer's every five minutes

    # the same files make the same tarball
    again = tmp_path / "again"
    pack(tmp_path / "v1", again, "20260101T000001Z")
    name = (artifacts / "LATEST").read_text(encoding="utf-8").splitlines()[0]
    assert (again / name).read_bytes() == (artifacts / name).read_bytes()

    # a one-file change: the rest are hard links to the current release
    pack(site(tmp_path / "v2", "v2"), artifacts, "20260101T000002Z")
    second = pull(base, str(artifacts))
    assert second.returncode == 0, second.stderr
    assert live(base) == "v2" and "新写入 1，与上一次相同、硬链接 3" in second.stdout
    listing = subprocess.run(["bash", str(DEPLOY), "releases", str(base)], capture_output=True, text=True).stdout
    assert "发布 v2" in listing and "修改页面 /news/" in listing

    # a tarball that does not match its checksum is not published
    pack(site(tmp_path / "v3", "v3"), artifacts, "20260101T000003Z")
    name = (artifacts / "LATEST").read_text(encoding="utf-8").splitlines()[0]
    data = bytearray((artifacts / name).read_bytes())
    data[-30] ^= 0xFF
    (artifacts / name).write_bytes(bytes(data))
    tampered = pull(base, str(artifacts))
    assert tampered.returncode != 0 and "校验失败" in tampered.stderr and live(base) == "v2"

    # a pinned server reports it and succeeds; the release is fetched again once unpinned
    pack(site(tmp_path / "v4", "v4"), artifacts, "20260101T000004Z")
    subprocess.run(["bash", str(DEPLOY), "pin", str(base)], check=True, capture_output=True)
    pinned = pull(base, str(artifacts))
    assert pinned.returncode == 0 and "已固定（pinned）" in pinned.stdout and live(base) == "v2"
    subprocess.run(["bash", str(DEPLOY), "unpin", str(base)], check=True, capture_output=True)
    assert pull(base, str(artifacts)).returncode == 0 and live(base) == "v4"

    # an older tarball named in LATEST (a copy gone wrong) does not go backwards
    shutil.copy(again / "LATEST", artifacts / "LATEST")
    older = pull(base, str(artifacts))
    assert older.returncode == 0 and "不比当前发布" in older.stderr and live(base) == "v4"


def test_only_a_tarball_signed_by_a_listed_key_is_published(tmp_path):
    base, artifacts = tmp_path / "srv", tmp_path / "artifacts"
    first = pull  # every refusal below leaves the server as it was

    def latest() -> Path:
        return artifacts / (artifacts / "LATEST").read_text(encoding="utf-8").splitlines()[0]

    # no signature
    pack(site(tmp_path / "v1", "v1"), artifacts, "20260101T000001Z", key=None)
    assert not latest().with_name(latest().name + ".sig").exists()
    unsigned = first(base, str(artifacts))
    assert unsigned.returncode != 0 and "没有签名" in unsigned.stderr and not (base / "current").exists()
    # signed by a key the server does not list
    pack(site(tmp_path / "v1", "v1"), artifacts, "20260101T000001Z", key=signing("stranger")[0])
    stranger = first(base, str(artifacts))
    assert stranger.returncode != 0 and "签名验证失败" in stranger.stderr and not (base / "current").exists()
    # changed after signing, its checksum made again (whoever can write the artifact folder)
    pack(site(tmp_path / "v1", "v1"), artifacts, "20260101T000001Z")
    data = bytearray(latest().read_bytes())
    data[-30] ^= 0xFF
    latest().write_bytes(bytes(data))
    subprocess.run(f"sha256sum {latest().name} > {latest().name}.sha256", shell=True, cwd=artifacts, check=True)
    changed = first(base, str(artifacts))
    assert changed.returncode != 0 and "签名验证失败" in changed.stderr and not (base / "current").exists()
    # no allowed-signers file on the server: nothing is published either
    missing = first(base, str(artifacts), QCDX_SIGNERS=str(tmp_path / "absent"))
    assert missing.returncode != 0 and "没有发布签名的公钥文件" in missing.stderr
    # the school's own key: published, and the signer named
    pack(site(tmp_path / "v1", "v1"), artifacts, "20260101T000001Z")
    signed = first(base, str(artifacts))
    assert signed.returncode == 0 and "签名有效：qcdx-ci" in signed.stdout and live(base) == "v1"
    # a school that signs nothing says so, and is told every time
    pack(site(tmp_path / "v2", "v2"), artifacts, "20260101T000002Z", key=None)
    optout = first(base, str(artifacts), QCDX_SIGNERS="none")
    assert optout.returncode == 0 and "没有核对发布签名" in optout.stderr and live(base) == "v2"


def test_a_tarball_with_a_link_or_a_path_outside_is_refused(tmp_path):
    base, artifacts = tmp_path / "srv", tmp_path / "artifacts"
    folder = site(tmp_path / "v1", "v1")
    (folder / "news" / "passwd").symlink_to("/etc/passwd")
    pack(folder, artifacts, "20260101T000001Z")
    result = pull(base, str(artifacts))
    assert result.returncode != 0 and "不是普通文件" in result.stderr
    assert not (base / "current").exists()


class Artifacts(http.server.SimpleHTTPRequestHandler):
    """GitLab's job-artifact address as a stand-in: 401 without the token header."""

    def do_GET(self):
        if self.headers.get("PRIVATE-TOKEN") != "glpat-test":
            self.send_error(401)
            return
        super().do_GET()  # the query (?job=release) is ignored, as the path names the file

    def log_message(self, *args):
        pass


def test_the_server_pulls_over_https_with_a_token_header(tmp_path):
    raw = "api/v4/projects/12/jobs/artifacts/main/raw/release"
    base, www = tmp_path / "srv", tmp_path / "www"
    pack(site(tmp_path / "v1", "v1"), www / raw, "20260101T000001Z")
    handler = lambda *a, **k: Artifacts(*a, directory=str(www), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/{raw}/{{file}}?job=release"
        refused = pull(base, url)
        assert refused.returncode != 0 and "LATEST" in refused.stderr
        header = tmp_path / "token.header"
        header.write_text("PRIVATE-TOKEN: glpat-test\n", encoding="utf-8")
        result = pull(base, url, QCDX_HEADER_FILE=str(header))
        assert result.returncode == 0, result.stderr
        assert live(base) == "v1"
        assert "glpat-test" not in result.stdout + result.stderr
    finally:
        server.shutdown()


def test_the_systemd_units():
    service = (UNITS / "qcdx-pull.service").read_text(encoding="utf-8")
    timer = (UNITS / "qcdx-pull.timer").read_text(encoding="utf-8")
    assert "ExecStart=/usr/local/lib/qcdx/pull.sh\n" in service and "EnvironmentFile=/etc/qcdx/pull.env" in service
    assert "User=deploy" in service and "ReadWritePaths=/srv/qcdx" in service and "ProtectSystem=strict" in service
    assert "OnCalendar=*:0/5" in timer and "WantedBy=timers.target" in timer
    example = (UNITS / "pull.env.example").read_text(encoding="utf-8")
    assert "QCDX_BASE=/srv/qcdx" in example and "{file}?job=release" in example


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is missing")
def test_systemd_reads_the_units(tmp_path):
    for unit in ("qcdx-pull.service", "qcdx-pull.timer"):
        text = (UNITS / unit).read_text(encoding="utf-8")
        text = text.replace("/usr/local/lib/qcdx/pull.sh", str(PULL)).replace("EnvironmentFile=/", "EnvironmentFile=-/")
        (tmp_path / unit).write_text(text, encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "qcdx-pull.service"),
                             str(tmp_path / "qcdx-pull.timer")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Unknown key" not in result.stderr and "qcdx-pull" not in result.stderr, result.stderr


# --- the push through the real sshd ---------------------------------------------------------------

SSHD = Path("/usr/sbin/sshd")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def sshd(tmp_path):
    """sshd on 127.0.0.1:<a free port>, accepting one key, restricted to receive.sh on `base`."""
    if not SSHD.exists() or os.geteuid() != 0:
        pytest.skip("needs Debian's openssh-server (tools/install-server-tools.sh) and root")
    work = tmp_path / "sshd"
    work.mkdir()
    base = tmp_path / "srv"
    for name in ("host", "client"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(work / name)], check=True)
    receive = ROOT / "deploy" / "receive.sh"
    public = (work / "client.pub").read_text(encoding="utf-8").strip()
    (work / "authorized_keys").write_text(f'restrict,command="sh {receive} {base}" {public}\n', encoding="utf-8")
    port = free_port()
    (work / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {work / 'host'}\nPidFile {work / 'sshd.pid'}\n"
        f"AuthorizedKeysFile {work / 'authorized_keys'}\nStrictModes no\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nUsePAM no\nPermitRootLogin prohibit-password\n", encoding="utf-8")
    Path("/run/sshd").mkdir(exist_ok=True)  # its privilege-separation folder
    process = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(work / "sshd_config")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, process.stderr.read().decode()
            time.sleep(0.05)
    host_key = (work / "host.pub").read_text(encoding="utf-8").split()
    (work / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}\n", encoding="utf-8")
    env = {"DEPLOY_SSH_PORT": str(port),
           "DEPLOY_SSH_OPTIONS": f"-i {work / 'client'} -o UserKnownHostsFile={work / 'known_hosts'} "
                                 "-o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -o BatchMode=yes"}
    try:
        yield base, env, f"{os.environ.get('USER') or 'root'}@127.0.0.1"
    finally:
        process.terminate()
        process.wait(10)


def test_push_over_sshd_on_another_port_with_a_restricted_key(tmp_path, sshd):
    base, env, target = sshd
    run = lambda *args, **extra: subprocess.run(["bash", str(DEPLOY), *args], capture_output=True, text=True,  # noqa: E731
                                                env={**os.environ, **env, **extra}, timeout=60)
    first = run("deploy", str(site(tmp_path / "v1", "v1")), target, RELEASE_TIME="20260101T000001Z")
    assert first.returncode == 0, first.stderr
    assert live(base) == "v1"
    second = run("deploy", str(site(tmp_path / "v2", "v2")), target, RELEASE_TIME="20260101T000002Z")
    assert second.returncode == 0, second.stderr
    assert live(base) == "v2" and "上传的文件：1" in second.stdout and "硬链接 3" in second.stdout
    assert "20260101T000001Z" in run("releases", target).stdout
    assert run("rollback", target).returncode == 0 and live(base) == "v1"
    # the key opens no shell and runs no other command
    ssh = ["ssh", "-p", env["DEPLOY_SSH_PORT"], *env["DEPLOY_SSH_OPTIONS"].split(), target.split("@")[0] + "@127.0.0.1"]
    for command in (["id"], ["rsync", "--server", "-prce.iLsfxCIvu", ".", "/tmp/x/"], []):
        result = subprocess.run([*ssh, *command], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
        assert result.returncode != 0 and ("拒绝" in result.stderr or "只能用来发布" in result.stderr), result
