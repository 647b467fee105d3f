"""The CI workflows: actionlint finds nothing, they run the same make targets as .ci/run and
the README, publish only from main with least permissions, and show editors the Chinese
messages of the content check in the run's summary."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = Path(sys.executable).parent / "actionlint"  # from requirements.txt
VENV = Path(sys.executable).parent.parent  # the venv running the tests: .venv, or .venv-properdocs


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(ACTIONLINT), "-no-color", *map(str, files)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


@pytest.fixture(scope="module")
def site_yml() -> dict:
    return load(ROOT / ".github" / "workflows" / "site.yml")


def steps(job: dict) -> list[dict]:
    return job["steps"]


def runs(job: dict) -> list[str]:
    return [step.get("run", "").strip() for step in steps(job)]


def step_index(job: dict, predicate) -> int:
    return next(i for i, step in enumerate(steps(job)) if predicate(step))


# --- actionlint ------------------------------------------------------------------


def test_actionlint_finds_nothing():
    assert WORKFLOWS, "no workflow in .github/workflows"
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_actionlint_would_catch_a_mistake(tmp_path):
    broken = tmp_path / "site.yml"
    text = (ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("contents: read", "contents: reed", 1)
                      .replace("cache-dependency-path:", "cache-dependency-pth:", 1), encoding="utf-8")
    result = actionlint(broken)
    assert result.returncode == 1
    assert '"reed" is invalid as permission' in result.stdout
    assert 'input "cache-dependency-pth" is not defined' in result.stdout


# --- what the GitHub workflow does ------------------------------------------------


def test_triggers(site_yml):
    on = site_yml["on"]
    assert {"push", "pull_request", "schedule", "workflow_dispatch"} <= set(on)
    assert all(re.fullmatch(r"\S+( \S+){4}", entry["cron"]) for entry in on["schedule"])
    assert site_yml["env"]["TZ"] == "Asia/Shanghai"  # "today" is the school's day


def test_runs_the_same_targets_as_ci_and_the_readme(site_yml):
    build = site_yml["jobs"]["build"]
    assert "make test" in runs(build) and "make build" in runs(build)
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.M)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make build" in readme and "make test" in readme
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^build:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert re.search(r"^\$\(BIN\)/\.installed:", makefile, re.M)  # the install step the workflow calls


def test_python_chromium_and_order(site_yml):
    build = site_yml["jobs"]["build"]
    setup = next(s for s in steps(build) if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"] == {"python-version": "3.11", "cache": "pip", "cache-dependency-path": "requirements.txt"}
    chromium = step_index(build, lambda s: "sudo apt-get install -y chromium" in s.get("run", ""))
    check = step_index(build, lambda s: s.get("id") == "check")
    test = step_index(build, lambda s: s.get("run", "").strip() == "make test")
    make_build = step_index(build, lambda s: s.get("run", "").strip() == "make build")
    upload = step_index(build, lambda s: s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    artifact = step_index(build, lambda s: s.get("uses", "").startswith("actions/upload-artifact@"))
    assert chromium < test and check < test < make_build < artifact < upload


def test_publishes_from_main_only_with_least_permissions(site_yml):
    assert site_yml["permissions"] == {"contents": "read"}
    jobs = site_yml["jobs"]
    main_only = "github.ref == 'refs/heads/main' && github.event_name != 'pull_request'"
    # GitHub Pages only when the repository variable says so: off, the job is skipped, not failed
    pages_copy = main_only + " && vars.PAGES_COPY == 'true'"
    upload = next(s for s in steps(jobs["build"]) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["if"] == pages_copy and upload["with"]["path"] == "site/"
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build" and deploy["if"] == pages_copy
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in steps(deploy)] == ["actions/deploy-pages"]
    for name, job in jobs.items():
        if name != "deploy":
            assert "write" not in str(job.get("permissions", "")), name


def test_actions_are_pinned_by_major_tag():
    for path in WORKFLOWS:
        used = re.findall(r"uses:\s*(\S+)", path.read_text(encoding="utf-8"))
        assert used
        for action in used:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", action), action


# --- the job summary, run as the workflow runs it ----------------------------------


def run_step(script: str, cwd: Path, summary: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary), **env}
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=cwd,
                          env=environment, capture_output=True, text=True, timeout=120)


def test_check_output_goes_to_the_summary(site_yml, small, tmp_path):
    build = site_yml["jobs"]["build"]
    check = steps(build)[step_index(build, lambda s: s.get("id") == "check")]
    assert check["run"].strip() == "make -s check 2>&1 | tee check.txt"
    report = next(s for s in steps(build) if "check.txt" in s.get("run", "") and "GITHUB_STEP_SUMMARY" in s["run"])
    assert "!cancelled()" in report["if"] and report["env"] == {"OUTCOME": "${{ steps.check.outcome }}"}

    small.edit("data/trainings.yaml", "trainees: 40", "trainees: 四十")
    failed = small.run("-m", "macros", "check")
    assert failed.returncode == 1
    (small.root / "check.txt").write_text(failed.stdout + failed.stderr + "make: *** [Makefile:25: check] Error 1\n",
                                          encoding="utf-8")
    summary = tmp_path / "summary.md"
    result = run_step(report["run"], small.root, summary, OUTCOME="failure")
    assert result.returncode == 0, result.stderr
    text = summary.read_text(encoding="utf-8")
    assert "### 内容检查未通过，网站没有更新" in text
    block = text.split("```text\n", 1)[1].split("```", 1)[0]
    assert "data/trainings.yaml 第 7 行，记录「k1」，字段「trainees」：培训人次应为整数，写的是「四十」" in block
    assert "检查未通过：发现 1 个问题。" in block and "make: ***" not in text

    small.write("check.txt", "检查通过：新闻 3 条；没有发现问题。\n")
    summary.unlink()
    assert run_step(report["run"], small.root, summary, OUTCOME="success").returncode == 0
    assert summary.read_text(encoding="utf-8") == "### 内容检查通过\n\n检查通过：新闻 3 条；没有发现问题。\n\n"


def test_check_problems_are_annotations_on_the_pull_request(site_yml, small, tmp_path):
    """On a pull request whose check failed, each problem is a GitHub error annotation at its
    file and line, in Chinese (`desk-check --github`, run here as the workflow runs it)."""
    build = site_yml["jobs"]["build"]
    index = step_index(build, lambda s: "desk-check --github" in s.get("run", ""))
    step = steps(build)[index]
    assert index > step_index(build, lambda s: s.get("id") == "check")
    assert step["if"] == "${{ github.event_name == 'pull_request' && !cancelled() && steps.check.outcome == 'failure' }}"
    (small.root / ".venv").symlink_to(VENV)
    small.edit("data/trainings.yaml", "trainees: 40", "trainees: 四十")
    result = run_step(step["run"], small.root, tmp_path / "summary.md")
    assert result.returncode == 1
    assert result.stdout == ("::error file=data/trainings.yaml,line=7,title=内容检查：记录「k1」，字段「trainees」::"
                             "data/trainings.yaml 第 7 行，记录「k1」，字段「trainees」：培训人次应为整数，写的是「四十」\n")


def test_freshness_goes_to_the_summary(site_yml, small, tmp_path):
    build = site_yml["jobs"]["build"]
    step = next(s for s in steps(build) if "macros freshness" in s.get("run", ""))
    assert step["if"] == "${{ !cancelled() && steps.check.outcome == 'success' }}"
    (small.root / ".venv").symlink_to(VENV)
    summary = tmp_path / "summary.md"
    result = run_step(step["run"], small.root, summary)
    assert result.returncode == 0, result.stderr
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### 栏目更新提醒\n\n```text\n板块「学校要闻」（news-a）已 ")
    assert "共 2 个板块，其中 2 个超过更新期限" in text and text.endswith("```\n")


def test_the_tests_run_on_properdocs_too(site_yml):
    job = site_yml["jobs"]["properdocs"]
    assert "make test ENGINE=properdocs" in runs(job)
    assert "needs" not in job and "properdocs" not in str(site_yml["jobs"]["deploy"].get("needs"))  # never holds back publishing
    config = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    gitlab = config["test-properdocs"]
    assert gitlab["extends"] == "test" and gitlab["script"] == ["make test ENGINE=properdocs"]
    assert gitlab["allow_failure"] is True
    # .ci/run: the second engine with the demo's build checked the same, the tests reading only it left out
    assert re.search(r"""^QC_SECOND_ENGINE=1 make test ENGINE=properdocs PYTEST_ARGS='-m "not output"'$""",
                     (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.M)


# --- GitLab -----------------------------------------------------------------------


def test_gitlab_ci():
    path = ROOT / ".gitlab-ci.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert config["image"] == "$PYTHON_IMAGE" and config["variables"]["PYTHON_IMAGE"] == "python:3.11"
    jobs = {name: job for name, job in config.items() if isinstance(job, dict) and "script" in job}
    testing = [job for job in jobs.values() if "make test" in job["script"]]
    assert testing, "no GitLab job runs make test"
    for job in testing:
        assert "apt-get install -y --no-install-recommends chromium" in job.get("before_script", [])
    check = jobs["check"]["script"]
    assert "make -s check 2>&1 | tee check.txt" in check and ".venv/bin/python -m macros freshness" in check
    assert check.index("set -o pipefail") < check.index("make -s check 2>&1 | tee check.txt")
    pages = jobs["pages"]
    assert pages["stage"] == config["stages"][-1]
    assert pages["needs"] == ["site"] and "cp -r site public" in pages["script"]
    assert jobs["site"]["script"] == ["make build"] and jobs["site"]["artifacts"]["paths"] == ["site"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert pages["rules"] == [{"if": '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $PAGES_COPY == "true"'}]
    assert "Pipeline schedules" in path.read_text(encoding="utf-8")


# --- the weekly inspection (issue 13) -----------------------------------------------


def test_weekly_inspection_goes_to_the_summary(site_yml, small, tmp_path):
    weekly = "0 1 * * 1"
    assert weekly in [entry["cron"] for entry in site_yml["on"]["schedule"]]
    jobs = site_yml["jobs"]
    assert jobs["inspect"]["if"] == f"github.event.schedule == '{weekly}' || github.event_name == 'workflow_dispatch'"
    assert jobs["build"]["if"] == f"github.event.schedule != '{weekly}'"  # the weekly run only inspects
    assert "permissions" not in jobs["inspect"]  # the workflow's read-only default
    step = next(s for s in steps(jobs["inspect"]) if "macros inspect" in s.get("run", ""))
    (small.root / ".venv").symlink_to(VENV)
    summary = tmp_path / "summary.md"
    small.edit("docs/news/2023/2023-02-01-a.md", "正文甲。", "正文甲。联系电话 13812345678")
    result = run_step(step["run"], small.root, summary)
    assert result.returncode == 1  # a veto item fails the job …
    text = summary.read_text(encoding="utf-8")  # … after the report is in the summary
    assert text.startswith("## 网站自查报告（")
    assert "| docs/news/2023/2023-02-01-a.md | 10 | 疑似个人手机号「138&#42;&#42;&#42;&#42;5678」" in text

    small.edit("docs/news/2023/2023-02-01-a.md", "联系电话 13812345678", "")
    small.edit("data/sections.yaml", "update_every_days: 7", "update_every_days: 3650")
    small.edit("data/sections.yaml", "update_every_days: 14", "update_every_days: 3650")
    summary.unlink()
    result = run_step(step["run"], small.root, summary)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "**结论：通过" in summary.read_text(encoding="utf-8")


def test_gitlab_weekly_inspection():
    config = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    job = config["inspect"]
    assert ".venv/bin/python -m macros inspect --report inspection.md" in job["script"]
    assert job["artifacts"]["when"] == "always" and job["artifacts"]["paths"] == ["inspection.md"]
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule" && $SITE_INSPECT'} in job["rules"]
    assert "SITE_INSPECT=1" in (ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8")


# --- the deploy key (issue 19, point 5): the site is built first, the key exists for the upload alone ---

KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nTEST-KEY-NOT-A-SECRET\n-----END OPENSSH PRIVATE KEY-----"
HOSTS = "qcdx.example.cn ssh-ed25519 AAAATESTHOSTKEY"
SECRETS = ("DEPLOY_SSH_KEY", "DEPLOY_KNOWN_HOSTS")


def flat(lines: list) -> list[str]:
    return [line for item in lines for line in (flat(item) if isinstance(item, list) else [item])]


def mentions_a_secret(text: str) -> bool:
    return any(name in text for name in SECRETS) or ".ssh" in text


def test_github_deploys_the_tested_site_and_builds_nothing(site_yml):
    jobs = site_yml["jobs"]
    build, job = jobs["build"], jobs["server"]
    assert job["needs"] == "build" and job["concurrency"]["cancel-in-progress"] is False
    assert job["if"] == ("github.ref == 'refs/heads/main' && github.event_name != 'pull_request' && "
                         "vars.DEPLOY_TARGET != ''")
    assert "permissions" not in job  # the workflow's read-only token is enough
    # the artifact the build job saved once `make test` and `make build` passed …
    saved = next(s for s in steps(build) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert saved["with"]["name"] == "site" and saved["with"]["path"] == "site/"
    assert saved["if"] == "github.ref == 'refs/heads/main' && github.event_name != 'pull_request'"
    # … is what this job uploads: no Python, no make, no build
    taken = step_index(job, lambda s: s.get("uses", "").startswith("actions/download-artifact@"))
    assert steps(job)[taken]["with"] == {"name": "site", "path": "site"}
    everything = "\n".join(runs(job)) + str([s.get("uses", "") for s in steps(job)])
    assert "make" not in everything.split() and "setup-python" not in everything and "mkdocs" not in everything
    with_key = [i for i, s in enumerate(steps(job)) if mentions_a_secret(str(s.get("env", "")) + s.get("run", ""))]
    assert with_key and taken < min(with_key)


def test_github_server_job_inside_china(site_yml):
    """A self-hosted runner by label, another ssh port, the administrator's own ssh command."""
    job = site_yml["jobs"]["server"]
    assert job["runs-on"] == "${{ vars.DEPLOY_RUNNER || 'ubuntu-latest' }}"
    step = next(s for s in steps(job) if "DEPLOY_SSH_KEY" in str(s.get("env", "")))
    assert step["env"]["DEPLOY_SSH_PORT"] == "${{ vars.DEPLOY_SSH_PORT }}"
    assert step["env"]["DEPLOY_SSH"] == "${{ vars.DEPLOY_SSH }}"
    assert step["env"]["DEPLOY_SSH_KEY"] == "${{ secrets.DEPLOY_SSH_KEY }}"
    assert not re.search(r"\bDEPLOY_SSH=", step["run"])  # the key's options go beside it, never over it
    assert "export DEPLOY_SSH_OPTIONS=" in step["run"] and "StrictHostKeyChecking=yes" in step["run"]
    assert "${{" not in step["run"]  # secrets reach the script through env, never pasted into it
    secret_steps = [s for s in steps(job) if any(name in str(s.get("env", "")) for name in SECRETS)]
    assert len(secret_steps) == 1, "the secrets are given to the upload step alone"
    step = secret_steps[0]
    run = step["run"]
    assert "make deploy" not in "\n".join(runs(job))  # it would build again, with the key on disk
    assert 'bash deploy/deploy.sh deploy site "$TARGET"' in run
    assert "umask 077" in run and 'mktemp "$RUNNER_TEMP/' in run and "~/.ssh" not in run and "$HOME/.ssh" not in run
    assert run.index("trap 'rm -f \"$key\" \"$hosts\"' EXIT") < run.index('> "$key"')  # removed however the step ends
    after = steps(job)[steps(job).index(step) + 1:]
    cleanup = [s for s in after if s.get("if") == "${{ always() }}"]
    assert cleanup and 'rm -f "$RUNNER_TEMP"/qcdx-deploy-key.*' in cleanup[0]["run"]


def test_gitlab_key_is_written_after_the_build():
    config = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    job, build = config["server"], config["site"]
    # the site is built by a job of an earlier stage that has no environment, so the secrets
    # (scoped to the environment school-server) never exist while the project's code builds
    assert config["stages"].index(build["stage"]) < config["stages"].index(job["stage"])
    assert "environment" not in build and not any(mentions_a_secret(line) for line in build["script"])
    assert build["script"] == ["make build"] and build["artifacts"]["paths"] == ["site"]
    assert job["needs"] == ["site"] and job["environment"]["name"] == "school-server"
    before = flat(job.get("before_script", []))  # GitLab flattens the lists a YAML anchor nests
    everything = "\n".join(before + job["script"] + job["after_script"])
    assert "make" not in everything.split() and "mkdocs" not in everything  # the server job builds nothing
    assert not any(mentions_a_secret(line) for line in before)
    with_key = [line for line in job["script"] if "DEPLOY_SSH_KEY" in line]
    assert len(with_key) == 1
    upload = with_key[0]
    assert not re.search(r"\bDEPLOY_SSH=", upload) and "export DEPLOY_SSH_OPTIONS=" in upload
    assert job["resource_group"] == "school-server"
    assert job["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $DEPLOY_TARGET"}]
    assert 'bash deploy/deploy.sh deploy site "$DEPLOY_TARGET"' in upload and "~/.ssh" not in upload
    assert "umask 077" in upload and "mktemp /tmp/qcdx-deploy-key." in upload
    assert upload.index("trap 'rm -f \"$key\" \"$hosts\"' EXIT") < upload.index('> "$key"')
    assert job["after_script"] == ["rm -f /tmp/qcdx-deploy-key.* /tmp/qcdx-known-hosts.*"]


@pytest.fixture
def upload_here(tmp_path):
    """A built site beside deploy/deploy.sh, and an `ssh` that records the key it is given (its
    mode and its text) and the known hosts, then runs the "server's" command here."""
    work = tmp_path / "work"
    (work / "deploy").mkdir(parents=True)
    for name in ("deploy.sh", "receive.sh"):
        (work / "deploy" / name).write_bytes((ROOT / "deploy" / name).read_bytes())
    (work / "site").mkdir()
    (work / "site" / "index.html").write_text("<p>built</p>\n", encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "ssh.log"
    (bin_dir / "ssh").write_text(
        '#!/bin/sh\n'
        'while :; do case $1 in\n'
        '  -i) echo "key mode $(stat -c %a "$2")" >> "$SSH_LOG"; cat "$2" >> "$SSH_LOG"; shift 2 ;;\n'
        '  -o) case $2 in UserKnownHostsFile=*) cat "${2#UserKnownHostsFile=}" >> "$SSH_LOG" ;; esac; shift 2 ;;\n'
        '  -l|-p|-O) shift 2 ;; -*) shift ;; *) break ;; esac; done\n'
        # what sshd does with the deploy key's forced command: receive.sh on the server's folder
        f'shift\nSSH_ORIGINAL_COMMAND="$*" exec sh {work}/deploy/receive.sh "$FAKE_BASE"\n', encoding="utf-8")
    (bin_dir / "ssh").chmod(0o755)
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    srv = tmp_path / "srv"
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "SSH_LOG": str(log), "RUNNER_TEMP": str(temp), "FAKE_BASE": str(srv)}
    return work, env, log, temp, srv


def uploaded(srv: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in (srv / "current").glob("index.html")] if (srv / "current").exists() else []


def test_github_key_exists_for_the_upload_only(site_yml, upload_here, tmp_path):
    work, env, log, temp, srv = upload_here
    step = next(s for s in steps(site_yml["jobs"]["server"]) if "DEPLOY_SSH_KEY" in str(s.get("env", "")))
    secrets = {"DEPLOY_SSH_KEY": KEY, "DEPLOY_KNOWN_HOSTS": HOSTS}
    result = run_step(step["run"], work, tmp_path / "summary.md", **env, **secrets, TARGET="deploy@school")
    assert result.returncode == 0, result.stderr
    assert uploaded(srv) == ["<p>built</p>\n"]  # the site as built, not built again
    text = log.read_text(encoding="utf-8")
    assert "key mode 600\n" + KEY in text and HOSTS in text
    assert list(temp.iterdir()) == []  # removed once the upload is done

    log.unlink()
    failing = run_step(step["run"], work, tmp_path / "summary.md", **env, **secrets, TARGET="")
    assert failing.returncode != 0
    assert list(temp.iterdir()) == []  # and when it fails

    (temp / "qcdx-deploy-key.AbC123").write_text(KEY, encoding="utf-8")  # a step stopped before its trap
    (temp / "qcdx-known-hosts.AbC123").write_text(HOSTS, encoding="utf-8")
    cleanup = next(s for s in steps(site_yml["jobs"]["server"]) if s.get("if") == "${{ always() }}")
    assert run_step(cleanup["run"], work, tmp_path / "summary.md", **env).returncode == 0
    assert list(temp.iterdir()) == []


def test_gitlab_key_exists_for_the_upload_only(upload_here, tmp_path):
    work, env, log, temp, srv = upload_here
    job = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))["server"]
    upload = next(line for line in job["script"] if "DEPLOY_SSH_KEY" in line)
    files = tmp_path / "gitlab-variables"  # variables of type File: GitLab gives their paths
    files.mkdir()
    (files / "DEPLOY_SSH_KEY").write_text(KEY + "\n", encoding="utf-8")
    (files / "DEPLOY_KNOWN_HOSTS").write_text(HOSTS + "\n", encoding="utf-8")
    secrets = {name: str(files / name) for name in SECRETS}
    # the job's script with /tmp replaced, to see what it leaves there
    script = upload.replace("/tmp/", f"{temp}/")
    result = run_step(script, work, tmp_path / "summary.md", **env, **secrets, DEPLOY_TARGET="deploy@school")
    assert result.returncode == 0, result.stderr
    assert uploaded(srv) == ["<p>built</p>\n"]
    assert "key mode 600\n" + KEY in log.read_text(encoding="utf-8")
    assert list(temp.iterdir()) == []

    failing = run_step(script, work, tmp_path / "summary.md", **env, **secrets, DEPLOY_TARGET="")
    assert failing.returncode != 0 and list(temp.iterdir()) == []

    (temp / "qcdx-deploy-key.AbC123").write_text(KEY, encoding="utf-8")
    after = "\n".join(job["after_script"]).replace("/tmp/", f"{temp}/")
    assert run_step(after, work, tmp_path / "summary.md", **env).returncode == 0
    assert list(temp.iterdir()) == []


# --- inside China: mirrors, an image from another registry, the pull's artifact (issue 24) ---------


def test_gitlab_uses_the_apt_mirror_when_set(tmp_path):
    config = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    for name in ("test", "server"):
        first = config[name]["before_script"][0]
        assert isinstance(first, list) and "APT_MIRROR" in first[0], name  # the anchor, before apt-get update
        assert config[name]["before_script"][1] == "apt-get update"
    line = config["test"]["before_script"][0][0]
    sources = tmp_path / "debian.sources"
    original = ("Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\n\n"
                "Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n")
    sources.write_text(original, encoding="utf-8")
    script = line.replace("/etc/apt/sources.list.d/debian.sources", str(sources))
    assert run_step(script, tmp_path, tmp_path / "s.md").returncode == 0
    assert sources.read_text(encoding="utf-8") == original  # unset: untouched
    assert run_step(script, tmp_path, tmp_path / "s.md", APT_MIRROR="https://mirrors.tuna.tsinghua.edu.cn/").returncode == 0
    text = sources.read_text(encoding="utf-8")
    assert "URIs: https://mirrors.tuna.tsinghua.edu.cn/debian\n" in text
    assert "URIs: https://mirrors.tuna.tsinghua.edu.cn/debian-security\n" in text and "deb.debian.org" not in text


def test_gitlab_packs_the_tested_site_for_a_server_that_pulls():
    text = (ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    job = config["release"]
    assert job["needs"] == ["site"] and job["script"][-1] == "bash deploy/pack.sh site release"
    assert "RELEASE_SIGNING_KEY" in job["script"][0] and "openssh-client" in job["script"][0]  # ssh-keygen signs
    assert job["artifacts"]["paths"] == ["release"] and job["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert "jobs/artifacts/$CI_DEFAULT_BRANCH/raw/release/{file}?job=release" in text
    assert "PIP_INDEX_URL" in text and "PYTHON_IMAGE" in text
