"""Token agreement of the rjieba backend with jieba, on the sample report and on generated corpora.

For each corpus and lexicon, ``tokenize(corpus, segmenter="rjieba", lexicon=…)`` and the same with
``segmenter="jieba"`` are run on the same reports (no cache) and their tokens aligned by character offsets: a jieba token *agrees* when rjieba
has a token with the same ``doc_id``, ``start`` and ``end`` (hence the same text). Printed per corpus:

- agreement = agreeing tokens / jieba tokens (the issue's goal: ≥ 99.5 %);
- the same share counted over rjieba's tokens;
- the commonest disagreements, as ``jieba tokens → rjieba tokens`` over the differing stretch.

Lexicons: ``bundled`` (``resources/lexicon.txt``, as ``tokenize`` by default) and ``themes`` (bundled plus every
theme term, as the store build segments). Corpora: ``sample`` (data/reports/changjiang-2021.txt), ``factory`` (tests/corpus_factory: cross_section
and panel reports with web-page heads and tails) and ``generated`` (tests/corpus_factory kind bench). Usage:
``python benchmarks/token_agreement.py [--reports 200] [--seed 0] [--jobs 1] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def corpora(n: int, seed: int) -> dict:
    """name → report table (doc_id, text)."""
    import pandas as pd

    from tests.corpus_factory import corpus_spec

    sample = (ROOT / "data" / "reports" / "changjiang-2021.txt").read_text(encoding="utf-8")
    factory = [*corpus_spec("cross_section", size=n - n // 4, seed=seed), *corpus_spec("panel", size=n // 4,
                                                                                          seed=seed)]
    generated = corpus_spec("bench", size=n, seed=seed)
    return {
        "sample": pd.DataFrame({"doc_id": ["changjiang-2021"], "text": [sample]}),
        "factory": pd.DataFrame({"doc_id": [f"f{i:05d}-{r['doc_id']}" for i, r in enumerate(factory)],
                                 "text": [r["text"] for r in factory]}),
        "generated": pd.DataFrame({"doc_id": [f"g{i:05d}" for i in range(n)],
                                   "text": [r["text"] for r in generated]}),
    }


def differences(jb, rj) -> Counter:
    """``"jieba tokens → rjieba tokens"`` of every stretch where the two cut differently, counted."""
    out: Counter = Counter()
    for doc_id in sorted(set(jb["doc_id"]) | set(rj["doc_id"])):
        a = jb[jb["doc_id"] == doc_id][["start", "end", "token"]].itertuples(index=False, name=None)
        b = rj[rj["doc_id"] == doc_id][["start", "end", "token"]].itertuples(index=False, name=None)
        a, b = list(a), list(b)
        i = j = 0
        while i < len(a) and j < len(b):
            if a[i][:2] == b[j][:2]:
                i, j = i + 1, j + 1
                continue
            # a differing stretch: advance both until their ends meet again
            ia, jb_ = i, j
            end_a, end_b = a[i][1], b[j][1]
            while end_a != end_b:
                if end_a < end_b:
                    i += 1
                    end_a = a[i][1] if i < len(a) else end_b
                else:
                    j += 1
                    end_b = b[j][1] if j < len(b) else end_a
            i, j = i + 1, j + 1
            out[" ".join(t for *_, t in a[ia:i]) + " → " + " ".join(t for *_, t in b[jb_:j])] += 1
    return out


def agreement(corpus, jobs: int, lexicon=None) -> dict:
    from lawgov_analysis.text.tokens import tokenize

    kw = dict(cache=False, progress=False, n_jobs=jobs, lexicon=lexicon)
    jb = tokenize(corpus, segmenter="jieba", **kw)
    rj = tokenize(corpus, segmenter="rjieba", **kw)
    keys = ["doc_id", "start", "end"]
    same = len(jb[keys].merge(rj[keys], on=keys))
    diffs = differences(jb, rj) if same < max(len(jb), len(rj)) else Counter()
    return dict(reports=len(corpus), chars=int(corpus["text"].str.len().sum()), jieba_tokens=len(jb),
                rjieba_tokens=len(rj), identical=same, agreement=same / max(1, len(jb)),
                agreement_of_rjieba=same / max(1, len(rj)), differences=dict(diffs.most_common(10)))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200, help="reports per generated corpus (default 200)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1, help="processes for tokenize (default 1)")
    parser.add_argument("--json", help="also write the numbers to this JSON file")
    args = parser.parse_args(argv)

    from lawgov_analysis.analysis.themes import lexicon_terms, load_themes
    from lawgov_analysis.text.segmenters import segmenter_version

    lexicons = {"bundled": None, "themes": lexicon_terms(load_themes())}
    results: dict = {}
    print(f"{segmenter_version('rjieba')} vs {segmenter_version('jieba')}")
    print(f"{'corpus':<10} {'lexicon':<8} {'reports':>7} {'chars':>11} {'jieba tokens':>13} {'identical':>10} "
          f"{'agreement':>10}")
    for name, corpus in corpora(args.reports, args.seed).items():
        for lex_name, lexicon in lexicons.items():
            r = results[f"{name}/{lex_name}"] = agreement(corpus, args.jobs, lexicon)
            print(f"{name:<10} {lex_name:<8} {r['reports']:>7} {r['chars']:>11,} {r['jieba_tokens']:>13,} "
                  f"{r['identical']:>10,} {r['agreement']:>9.4%}  (of rjieba's {r['rjieba_tokens']:,}: "
                  f"{r['agreement_of_rjieba']:.4%})")
            for stretch, count in r["differences"].items():
                print(f"    {count:>5}×  {stretch}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
