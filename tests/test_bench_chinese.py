"""The bench's Chinese text comes from a table committed in bench/, so `make bench` needs no seeds."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _chinese():
    spec = importlib.util.spec_from_file_location("bench_chinese", ROOT / "bench" / "chinese.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


chinese = _chinese()
# what body() adds around the chain's text: headings, lists, tables, bold, links, numbers
MARKUP = set("#-|*:[]()./ \n0123456789abcdefghijklmnopqrstuvwxyz") | set("项目人数课时详见、" + chinese.NUMERALS)


def test_the_table_is_committed_small_and_loads():
    assert chinese.TABLE.is_file() and chinese.TABLE.parent == ROOT / "bench"
    assert chinese.TABLE.stat().st_size < 1_000_000
    table = chinese.read_table()
    assert table["order"] == 2 and len(table["starts"]) > 100 and len(table["next"]) > 5000


def test_the_chain_writes_chinese_of_the_reports_characters():
    table = chinese.read_table()
    known = set("".join(table["starts"])) | set("".join(chars for chars, _ in table["next"].values()))
    chain = chinese.Chain(3, table)
    text = chain.title() + "".join(chain.body() for _ in range(20))
    assert set(text) <= known | MARKUP, set(text) - known - MARKUP
    han = re.findall(r"[\u4e00-\u9fff]", text)
    assert len(han) > 0.75 * len(re.sub(r"\s", "", text))  # mostly Chinese characters
    assert len(set(han)) > 500 and "。" in text and "，" in text
    assert chinese.Chain(3).body() == chinese.Chain(3, table).body()  # the same seed, the same text


@pytest.mark.skipif(not list(chinese.SEEDS.glob("*.txt")), reason=f"no seed reports in {chinese.SEEDS} (QC_SEEDS=DIR)")
def test_the_committed_table_is_the_one_the_seeds_give(tmp_path):
    trained = chinese.train()
    assert trained == chinese.read_table()
    chinese.write_table(trained, tmp_path / "table.json.gz")
    assert (tmp_path / "table.json.gz").read_bytes() == chinese.TABLE.read_bytes()
    assert chinese.Chain(5, trained).body() == chinese.Chain(5).body()
