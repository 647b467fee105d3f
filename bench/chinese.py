"""Chinese text with the character and word statistics of real work reports, for the bench.

A character-level Markov chain of order 2 trained on five real party school and party office
reports (../shared/seeds/*.txt, beside the repository): each character follows the two before
it as often as it does in those reports, so the text has their character, bigram and trigram
frequencies, their punctuation and their sentence lengths (what Markdown, the reading-time
count, the search index and gzip all depend on), and never repeats a sentence bank. Order 2,
not 3: the seeds are small (≈ 18,000 characters), and a longer context would copy them verbatim.

The chain reads only its table, bench/chinese-table.json.gz (committed, so `make bench` works on
a fresh clone without the seeds): how often each sentence opens with each two characters, and
how often each character follows each two. Counts, not the seeds' sequence: the reports cannot
be read back from it. Regenerate it when the seeds change, from the repository's root:

    .venv/bin/python bench/chinese.py --table        # ../shared/seeds/*.txt → bench/chinese-table.json.gz
    .venv/bin/python bench/chinese.py --table DIR    # another folder of seed reports (or QC_SEEDS=DIR)

The same table gives the same text for the same seed (tests/test_bench_chinese.py compares the
committed table with one trained on the seeds, when they are present).

Bodies carry the markup editors use (sections with headings, bold, lists, a table now and
then, a link to another page), so Markdown does a realistic amount of work.
"""
from __future__ import annotations

import gzip
import json
import os
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

SEEDS = Path(os.environ.get("QC_SEEDS") or Path(__file__).resolve().parents[2] / "shared" / "seeds")
TABLE = Path(__file__).resolve().parent / "chinese-table.json.gz"
END = "。！？"
STOPS = "，。；：！？、"
NUMERALS = "一二三四五六七八九十"


def _corpus(seeds: Path) -> list[str]:
    paragraphs = []
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"[*#|<>\[\]_`{}~\\X]", "", text)  # redaction marks and Markdown's own characters
        paragraphs += [line.strip() for line in text.splitlines() if len(line.strip()) > 20]
    return paragraphs


def train(seeds: Path = SEEDS) -> dict:
    """The table of the reports in `seeds`: {"starts": {two characters: count},
    "next": {two characters: [the characters that follow, their counts]}}, in a fixed order."""
    files = sorted(seeds.glob("*.txt"))
    if not files:
        raise SystemExit(f"no seed reports (*.txt) in {seeds}")
    starts: Counter[str] = Counter()
    follow: dict[str, Counter[str]] = defaultdict(Counter)
    for paragraph in _corpus(seeds):
        for sentence in re.findall(rf"[^{END}]+[{END}]", paragraph):
            sentence = re.sub(r"^[（(]?[一二三四五六七八九十0-9]+[）)、.．]", "", sentence.strip())
            if len(sentence) < 6:
                continue
            starts[sentence[:2]] += 1
            for i in range(len(sentence) - 2):
                follow[sentence[i:i + 2]][sentence[i + 2]] += 1
    return {"order": 2, "seeds": len(files), "starts": dict(sorted(starts.items())),
            "next": {state: ["".join(sorted(counts)), [counts[c] for c in sorted(counts)]]
                     for state, counts in sorted(follow.items())}}


def write_table(table: dict, path: Path = TABLE) -> None:
    """Gzipped JSON, byte for byte the same for the same table (no time stamp in the header)."""
    data = json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def read_table(path: Path = TABLE) -> dict:
    return json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))


class Chain:
    def __init__(self, seed: int = 1, table: dict | None = None):
        table = table if table is not None else read_table()
        self.rng = random.Random(seed)
        # every occurrence spelled out (a state followed 3 times by 的: 的的的), so that one
        # rng.choice draws as often as the reports have it: twice as fast as random.choices
        self.starts = [start for start, count in table["starts"].items() for _ in range(count)]
        self.next = {state: "".join(c * n for c, n in zip(chars, counts)) for state, (chars, counts) in table["next"].items()}

    def sentence(self, limit: int = 160) -> str:
        out = self.rng.choice(self.starts)
        while len(out) < limit:
            choices = self.next.get(out[-2:])
            if not choices:
                break
            out += self.rng.choice(choices)
            if out[-1] in END:
                return out
        return out.rstrip(STOPS) + "。"

    def phrase(self, low: int, high: int) -> str:
        """A clause of low..high characters with no punctuation: for titles, headings, list items."""
        for _ in range(50):
            clause = re.split(rf"[{STOPS}“”《》（）()]", self.sentence())[0]
            if low <= len(clause) <= high:
                return clause
        return clause[:high]

    def paragraph(self, length: int) -> str:
        out = ""
        while len(out) < length:
            out += self.sentence()
        if self.rng.random() < 0.3:  # the editors' bold: a key phrase
            cut = out.find("，")
            if 2 < cut < 40:
                out = f"**{out[:cut]}**{out[cut:]}"
        return out

    def title(self) -> str:
        return self.phrase(10, 26)

    def body(self, low: int = 600, high: int = 2000, link: str = "../../about/index.md") -> str:
        """Markdown of low..high Chinese characters: paragraphs under headings, lists, tables, links."""
        rng, target = self.rng, self.rng.randint(low, high)
        blocks, size, section = [], 0, 0
        while size < target:
            roll = rng.random()
            if roll < 0.12 and size > 150:
                blocks.append(f"## {NUMERALS[section % 10]}、{self.phrase(6, 16)}")
                section += 1
            elif roll < 0.22:
                items = [f"- {self.phrase(8, 30)}；" for _ in range(rng.randint(3, 5))]
                blocks.append("\n".join(items))
                size += sum(len(i) for i in items)
            elif roll < 0.26:
                rows = [f"| {self.phrase(4, 12)} | {rng.randint(2, 300)} | {rng.randint(1, 48)} |" for _ in range(rng.randint(3, 6))]
                blocks.append("| 项目 | 人数 | 课时 |\n| --- | ---: | ---: |\n" + "\n".join(rows))
                size += sum(len(r) for r in rows)
            else:
                text = self.paragraph(rng.randint(60, 260))
                if rng.random() < 0.1:
                    text += f"详见[{self.phrase(4, 10)}]({link})。"
                blocks.append(text)
                size += len(text)
        return "\n\n".join(blocks)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--table"]:
        seeds = Path(sys.argv[2]) if len(sys.argv) > 2 else SEEDS
        write_table(train(seeds))
        print(f"{TABLE}: {TABLE.stat().st_size:,} bytes, from {seeds}")
        raise SystemExit(0)
    chain = Chain()
    print(chain.title(), "\n")
    print(chain.body())
