"""Theme dictionary audit: does each term of a theme occur, and is it found as one whole token?"""

from __future__ import annotations

import pandas as pd

from ..core.validate import check_columns
from .themes import ThemesLike, lexicon_terms, load_themes

__all__ = ["theme_audit"]


def theme_audit(corpus: pd.DataFrame, themes: ThemesLike = None) -> pd.DataFrame:
    """For each exact term: how often it occurs as a substring of the text vs as one whole token.

    The corpus is segmented with the theme terms in the lexicon (as the store's tokens are) and every
    substring occurrence is classified by :func:`lawgov_analysis.text.tokens.lexicon_audit`. Occurrences inside a
    longer lexicon word or a 《title》/“slogan” are not counted as hits of the term (the longer token may be
    counted through another term or a pattern); ``split`` occurrences mean the segmenter cut through the term.
    A term with no occurrence is dead weight on this corpus.

    Returns
    -------
    pandas.DataFrame
        One row per theme × exact term, in dictionary order: ``theme_id``; ``term``; ``occurrences``
        (non-overlapping substring occurrences in the report texts); ``whole`` (occurrences that are exactly
        one token: the hits of the term); ``in_longer`` (inside a longer lexicon word); ``in_protected``
        (inside a title or slogan token); ``split`` (cut by the segmenter); ``status`` (``absent``, ``ok`` or
        ``split``).
    """
    from ..text.tokens import lexicon_audit, tokenize

    check_columns(corpus, ["doc_id", "text"], what="corpus")
    table = load_themes(themes)
    terms = lexicon_terms(table)
    audit = lexicon_audit(corpus, lexicon=terms, terms=terms, tokens=tokenize(corpus, lexicon=list(terms)))
    rows = pd.DataFrame([(r.theme_id, term) for r in table.itertuples(index=False) for term in r.terms],
                        columns=["theme_id", "term"])
    out = rows.merge(audit, on="term", how="left", validate="many_to_one")
    return out[["theme_id", "term", "occurrences", "whole", "in_longer", "in_protected", "split", "status"]]
