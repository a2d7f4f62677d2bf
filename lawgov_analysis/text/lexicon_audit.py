"""Lexicon audit: how often each lexicon term occurs in the reports and how often the segmenter keeps it whole.

:func:`lexicon_audit` and :func:`lexicon_problems` (also importable from :mod:`lawgov_analysis.text.tokens`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

import pandas as pd

from ..core.validate import check_columns
from .segmenters import DEFAULT_SEGMENTER, SegmenterName
from .tokens import LexiconSpec, load_lexicon, tokenize

__all__ = ["lexicon_audit", "lexicon_problems"]

# Characters jieba keeps inside one block (jieba.re_han_default); a term with any other character is split.
_JIEBA_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")


def lexicon_audit(corpus: pd.DataFrame, lexicon: LexiconSpec = None, *, terms: Iterable[str] | None = None,
                  tokens: pd.DataFrame | None = None, segmenter: SegmenterName = DEFAULT_SEGMENTER) -> pd.DataFrame:
    """For every lexicon term: how often it occurs in the text, and how often as one whole token.

    An occurrence is a non-overlapping substring match in a report. Each is classified by the token(s) at
    its position: ``whole`` (a token is exactly the term, of kind word, slogan or title); ``in_longer`` (it
    lies inside a longer word token that is itself a lexicon term, e.g. 普法 inside 谁执法谁普法, or
    扫黑除恶 inside 扫黑除恶专项斗争); ``in_protected`` (it lies inside a longer title or slogan token, e.g.
    政府信息公开 inside 《政府信息公开条例》); ``split`` (anything else: the segmenter cut through the term or
    glued it to ordinary characters — the failure other tools never report).

    Parameters
    ----------
    corpus
        The report table (``doc_id``, ``text``).
    lexicon
        As in :func:`tokenize`; the corpus is segmented with it.
    terms
        The terms to audit (default: the terms of ``lexicon``; with ``lexicon="none"`` the bundled terms, which
        shows how plain jieba treats them).
    tokens
        Tokens of ``corpus`` made with ``lexicon``, if already computed.
    segmenter
        As in :func:`tokenize` (used when ``tokens`` is not given).

    Returns
    -------
    pandas.DataFrame
        One row per term, sorted by ``term``: ``term``, ``chars`` (length), ``occurrences``, ``whole``,
        ``in_longer``, ``in_protected``, ``split`` (ints; ``occurrences == whole + in_longer + in_protected +
        split``), ``docs`` (reports containing it) and ``status``: ``absent`` (no occurrence), ``ok`` (no split
        occurrence) or ``split``.
    """
    check_columns(corpus, ["doc_id", "text"], what="corpus")
    if terms is None:
        terms = load_lexicon(None if isinstance(lexicon, str) and lexicon == "none" else lexicon)
    terms = sorted({str(t) for t in terms if str(t)})
    lex_terms = set(load_lexicon(lexicon))
    if tokens is None:
        tokens = tokenize(corpus, lexicon=lexicon, segmenter=segmenter)
    counts = {t: [0, 0, 0, 0, 0, 0] for t in terms}  # occurrences, whole, in_longer, in_protected, split, docs
    by_doc = {d: g for d, g in tokens.groupby("doc_id", sort=False)}
    for doc_id, text in zip(corpus["doc_id"], corpus["text"]):
        text = "" if pd.isna(text) else str(text)
        g = by_doc.get(str(doc_id))
        if g is None:
            starts, ends, toks, kinds = [], [], [], []
        else:
            starts, ends = g["start"].tolist(), g["end"].tolist()
            toks, kinds = g["token"].tolist(), g["kind"].tolist()
        for term in terms:
            pos = text.find(term)
            if pos < 0:
                continue
            c = counts[term]
            c[5] += 1
            while pos >= 0:
                end = pos + len(term)
                c[0] += 1
                i = bisect_right(starts, pos) - 1
                if i >= 0 and ends[i] >= end:
                    if starts[i] == pos and ends[i] == end and kinds[i] in ("word", "slogan", "title"):
                        c[1] += 1
                    elif kinds[i] in ("title", "slogan"):
                        c[3] += 1
                    elif kinds[i] == "word" and toks[i] in lex_terms:
                        c[2] += 1
                    else:
                        c[4] += 1
                else:
                    c[4] += 1
                pos = text.find(term, end)
    rows = []
    for term in terms:
        occ, whole, longer, prot, split, docs = counts[term]
        status = "absent" if occ == 0 else ("ok" if split == 0 else "split")
        rows.append(dict(term=term, chars=len(term), occurrences=occ, whole=whole, in_longer=longer,
                         in_protected=prot, split=split, docs=docs, status=status))
    out = pd.DataFrame(rows, columns=["term", "chars", "occurrences", "whole", "in_longer", "in_protected",
                                      "split", "docs", "status"])
    return out.astype({c: "int64" for c in ["chars", "occurrences", "whole", "in_longer", "in_protected",
                                            "split", "docs"]})


def lexicon_problems(terms: Iterable[str]) -> list[str]:
    """Terms that jieba can never keep as one token (whitespace or characters outside jieba's word blocks)."""
    return [t for t in terms if not _JIEBA_BLOCK.fullmatch(t)]
