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
    assert chromium < test and check < test < make_build < upload


def test_publishes_from_main_only_with_least_permissions(site_yml):
    assert site_yml["permissions"] == {"contents": "read"}
    jobs = site_yml["jobs"]
    main_only = "github.ref == 'refs/heads/main' && github.event_name != 'pull_request'"
    upload = next(s for s in steps(jobs["build"]) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["if"] == main_only and upload["with"]["path"] == "site/"
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build" and deploy["if"] == main_only
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
    assert re.search(r"^make test ENGINE=properdocs$", (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.M)


# --- GitLab -----------------------------------------------------------------------


def test_gitlab_ci():
    path = ROOT / ".gitlab-ci.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert config["image"] == "python:3.11"
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
    assert pages["script"][0] == "make build" and "cp -r site public" in pages["script"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
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
