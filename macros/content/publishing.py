"""The publishing rules of `mkdocs.yml` → `extra: publishing:`, read without MkDocs.

    extra:
      publishing:
        review_required: true          # 三审：未经初审、复审、终审的新闻和笔记不发布
        reviewers: {first: 各板块责任编辑, second: 办公室主任 张敏, final: 分管校领导 李建国}
        public_numbers: [0899-6612301]  # 学校公开的电话，自查时不算个人信息

The loader, `check` and `inspect` read the same file MkDocs reads, so a build and a check
never disagree about what is published.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from pydantic import Field

from . import config as configuration
from . import models as m
from .validate import validate
from .yamlsrc import Mapping

CONFIG = "mkdocs.yml"


class Reviewers(m.Record):
    """Who signs off each step (a person or a role), shown by `python -m macros review`."""

    first: Optional[str] = Field(None, description="初审")
    second: Optional[str] = Field(None, description="复审")
    final: Optional[str] = Field(None, description="终审")


class PublishingConfig(m.Record):
    review_required: m.Flag = Field(False, description="是否要求三审后才发布")
    reviewers: Reviewers = Field(default_factory=Reviewers, description="审核人")
    public_numbers: m.Refs = Field(default_factory=list, description="学校公开的电话号码")


@dataclass(frozen=True)
class Publishing:
    review_required: bool = False
    reviewers: dict[str, str] = field(default_factory=dict)  # step → who
    public_numbers: frozenset[str] = frozenset()  # digits only


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def read(root: Path, out, config_file: str = CONFIG) -> Publishing:
    """The settings of the configuration file (mkdocs.yml, or the build's -f); problems go to
    `out` (a load.Collector)."""
    settings = configuration.read(root, config_file)
    if not settings.readable:
        return Publishing()  # MkDocs reports a broken mkdocs.yml itself
    data = settings.data
    extra = data.get("extra")
    section = extra.get("publishing") if isinstance(extra, Mapping) else None
    if section is None:
        return Publishing()
    line = extra.lines.get("publishing", extra.line)
    config = validate(out, PublishingConfig, section, config_file, line)
    if config is None:
        return Publishing()
    reviewers = {step: who for step, who in config.reviewers.model_dump().items() if who}
    return Publishing(config.review_required, reviewers, frozenset(digits(n) for n in config.public_numbers))
