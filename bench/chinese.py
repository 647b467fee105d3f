"""Chinese text with the character and word statistics of real work reports, for the bench.

A character-level Markov chain of order 2 trained on ../shared/seeds/*.txt (five real party
school and party office reports): each character follows the two before it as often as it
does in those reports, so the text has their character, bigram and trigram frequencies,
their punctuation and their sentence lengths (what Markdown, the reading-time count, the
search index and gzip all depend on), and never repeats a sentence bank. Order 2, not 3:
the seeds are small (≈ 18,000 characters), and a longer context would copy them verbatim.

Bodies carry the markup editors use (sections with headings, bold, lists, a table now and
then, a link to another page), so Markdown does a realistic amount of work.
"""
from __future__ import annotations

import random
import re
from collections import defaultdict
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
END = "。！？"
STOPS = "，。；：！？、"
NUMERALS = "一二三四五六七八九十"


def _corpus() -> list[str]:
    paragraphs = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"[*#|<>\[\]_`{}~\\X]", "", text)  # redaction marks and Markdown's own characters
        paragraphs += [line.strip() for line in text.splitlines() if len(line.strip()) > 20]
    return paragraphs


class Chain:
    def __init__(self, seed: int = 1):
        self.rng = random.Random(seed)
        self.next: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []
        for paragraph in _corpus():
            for sentence in re.findall(rf"[^{END}]+[{END}]", paragraph):
                sentence = re.sub(r"^[（(]?[一二三四五六七八九十0-9]+[）)、.．]", "", sentence.strip())
                if len(sentence) < 6:
                    continue
                self.starts.append(sentence[:2])
                for i in range(len(sentence) - 2):
                    self.next[sentence[i:i + 2]].append(sentence[i + 2])

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
    chain = Chain()
    print(chain.title(), "\n")
    print(chain.body())
