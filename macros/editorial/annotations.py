"""`check`'s problems as GitHub workflow commands: each one an error annotation that GitHub shows,
in Chinese, on the pull request's changed file at its line (and in the run's list of annotations).

    ::error file=data/courses.yaml,line=7,title=内容检查：记录「c1」，字段「hours」::data/courses.yaml 第 7 行，…

Escaped as GitHub's workflow commands require: in the message `%`, CR and LF as %25, %0D, %0A; in
a property (file, title) also `:` and `,` as %3A and %2C. Written here rather than taken from a
library: it is these two replacements (the `actions/toolkit` command.ts rules), and no Python
package of GitHub's own does it.
"""
from __future__ import annotations

from ..content.problems import Problem

TITLE = "内容检查"


def data(text: str) -> str:
    """A workflow command's message, escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def prop(text: str) -> str:
    """A workflow command's property value (file=…, title=…), escaped."""
    return data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """One problem as one `::error` line: at its file and line, titled with its record and field."""
    where = "，".join(filter(None, [f"记录「{problem.record}」" if problem.record else "",
                                    f"字段「{problem.field}」" if problem.field else ""]))
    properties = [f"file={prop(problem.file)}"]
    if problem.line:
        properties.append(f"line={problem.line}")
    properties.append("title=" + prop(TITLE + ("：" + where if where else "")))
    return f"::error {','.join(properties)}::{data(str(problem))}"


def annotations(problems: list[Problem]) -> str:
    """Every problem, one line each; an empty string when there is none."""
    return "".join(annotation(problem) + "\n" for problem in problems)
