"""The ``bench`` kind: fast, distinct reports for benchmark sizes (up to 100,000 reports).

Each report (about 5,000 characters) has a title line with a made-up region (two syllables and 县/区/市) and a
year, the sample's preamble with its year replaced, then numbered parts (一、二、…) of two to four sub-parts
((一)(二)…) holding a seeded selection of the sample's numbered paragraphs, renumbered 1、2、…, with every
Arabic number perturbed (±30 %, same number of decimals; years kept). Report ``i`` depends only on ``i`` and
``seed``, so a benchmark can make any one of them without the others.
"""

from __future__ import annotations

import functools
import random
import re

from .realistic import SAMPLE_FILE

_L1 = re.compile(r"^[一二三四五六七八九十]+、")
_L2 = re.compile(r"^[(（][一二三四五六七八九十]+[)）]")
_L3 = re.compile(r"^\d{1,2}[、.．]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_CN = "一二三四五六七八九十"
_SYLLABLES = "安北昌东丰广和华江金景乐临龙南平青庆清瑞山上石顺泰通西新兴阳永玉元云长正中"
_SUFFIX = ("县", "区", "市", "县", "区")


@functools.lru_cache(maxsize=1)
def _sample_parts() -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    lines = [line for line in SAMPLE_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    preamble = lines[0]
    l1 = tuple(_L1.sub("", x) for x in lines if _L1.match(x))
    l2 = tuple(_L2.sub("", x) for x in lines if _L2.match(x))
    body = tuple(_L3.sub("", x) for x in lines if _L3.match(x))
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


def bench_record(i: int, *, seed: int = 0, target: int = 5000) -> dict:
    """Report ``i`` of the bench corpus: ``doc_id`` (``gen-00042``), ``region``, ``level``, ``year``, ``title``
    and ``text`` (ending in a newline)."""
    rng = random.Random(f"{seed}-{i}")
    preamble, l1, l2, body = _sample_parts()
    region = "".join(rng.sample(_SYLLABLES, 2)) + rng.choice(_SUFFIX)
    year = rng.randint(2019, 2024)
    title = f"{region}{year}年法治政府建设工作情况报告"
    lines = [title, re.sub(r"20\d\d年", f"{year}年", preamble, count=1)]
    paragraphs = list(body)
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
    return dict(doc_id=f"gen-{i:05d}", region=region, level=region[-1], year=year, title=title,
                text="\n".join(lines) + "\n")
