"""Deterministic synthetic corpora for benchmarks: the sample report's paragraphs shuffled, dropped, renumbered.

Each generated report (about 5,000 characters) has a title line with a varied region and year, the sample's
preamble with its year replaced, then two or three numbered parts (一、二、…) of two or three sub-parts
((一)(二)…) holding a random selection of the sample's numbered paragraphs, renumbered 1、2、…, with every
Arabic number perturbed (±30 %, same number of decimals). Seeded: the same ``n`` and ``seed`` give the same
files. Nothing is committed: corpora are written to a scratch folder by the benchmark.

Usage: ``python benchmarks/corpus_gen.py N OUT_FOLDER [--seed 0]``.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "reports" / "changjiang-2021.txt"

_L1 = re.compile(r"^[一二三四五六七八九十]+、")
_L2 = re.compile(r"^[(（][一二三四五六七八九十]+[)）]")
_L3 = re.compile(r"^\d{1,2}[、.．]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_CN = "一二三四五六七八九十"
_SYLLABLES = "安北昌东丰广和华江金景乐临龙南平青庆清瑞山上石顺泰通西新兴阳永玉元云长正中"
_SUFFIX = ("县", "区", "市", "县", "区")


def _sample_parts() -> tuple[str, list[str], list[str], list[str]]:
    lines = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    preamble = lines[0]
    l1 = [_L1.sub("", x) for x in lines if _L1.match(x)]
    l2 = [_L2.sub("", x) for x in lines if _L2.match(x)]
    body = [_L3.sub("", x) for x in lines if _L3.match(x)]
    return preamble, l1, l2, body


def _perturb(text: str, rng: random.Random) -> str:
    def repl(m: re.Match) -> str:
        s = m.group()
        if len(s) == 4 and s.startswith("20"):          # keep years
            return s
        value = float(s) * rng.uniform(0.7, 1.3)
        if "." in s:
            return f"{value:.{len(s.split('.')[1])}f}"
        return str(max(1, round(value)))

    return _NUMBER.sub(repl, text)


def report_text(i: int, seed: int = 0, target: int = 5000) -> tuple[str, str]:
    """``(doc_id, text)`` of generated report ``i``."""
    rng = random.Random(f"{seed}-{i}")
    preamble, l1, l2, body = _sample_parts()
    region = "".join(rng.sample(_SYLLABLES, 2)) + rng.choice(_SUFFIX)
    year = rng.randint(2019, 2024)
    lines = [f"{region}{year}年法治政府建设工作情况报告", re.sub(r"20\d\d年", f"{year}年", preamble, count=1)]
    paragraphs = body[:]
    rng.shuffle(paragraphs)
    paragraphs = [p for p in paragraphs if rng.random() > 0.2] or paragraphs[:1]
    size = sum(map(len, lines))
    k, a = 0, 0
    while size < target and a < len(_CN):
        lines.append(f"{_CN[a]}、{rng.choice(l1)}")
        for b in range(rng.randint(2, 4)):
            lines.append(f"({_CN[b]}){rng.choice(l2)}")
            for c in range(rng.randint(2, 4)):
                para = paragraphs[k % len(paragraphs)]
                k += 1
                lines.append(f"{c + 1}、{_perturb(para, rng)}")
                size += len(lines[-1])
                if size >= target:
                    break
            if size >= target:
                break
        a += 1
    return f"gen-{i:05d}", "\n".join(lines) + "\n"


def write_corpus(n: int, folder: str | Path, seed: int = 0) -> Path:
    """Write ``n`` generated reports as UTF-8 ``.txt`` files into ``folder`` and return it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        doc_id, text = report_text(i, seed)
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    write_corpus(args.n, args.out, args.seed)
    print(f"wrote {args.n} reports to {args.out}")


if __name__ == "__main__":
    main()
