"""Term bars and word clouds."""

from __future__ import annotations

import pandas as pd
import pytest

from lawgov_analysis.present.plots import plot_term_bars, plot_wordcloud

from .plot_tables import png_bytes, term_table


def test_term_bars_top_n_per_group_and_columns():
    fig = plot_term_bars(term_table(), group="doc_id", n=2)
    table = fig.lawgov_table
    assert table.to_dict("list") == {"doc_id": ["anxian-2019", "anxian-2019", "beiqu-2021", "beiqu-2021"],
                                     "term": ["法治", "普法", "法治", "扫黑除恶"], "count": [9, 7, 8, 6]}
    assert sum(a.get_visible() for a in fig.axes) == 2
    # token/weight columns are found too; ax only without facets
    tokens = term_table().rename(columns={"term": "token", "count": "weight"})
    assert list(plot_term_bars(tokens, n=1).lawgov_table["token"]) == ["法治"]
    with pytest.raises(ValueError, match="single panel"):
        from matplotlib.figure import Figure

        plot_term_bars(term_table(), group="doc_id", ax=Figure().subplots())
    with pytest.raises(ValueError, match="missing column"):
        plot_term_bars(pd.DataFrame({"word": ["法"], "count": [1]}))


def test_term_bars_draws_into_given_ax():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.subplots()
    assert plot_term_bars(term_table(), ax=ax, n=3) is fig
    assert [t.get_text() for t in ax.get_yticklabels()] == ["扫黑除恶", "普法", "法治"]  # largest on top
    assert len(ax.patches) == 3


def test_wordcloud_keeps_single_characters_and_stopwords_and_is_seeded():
    table = pd.DataFrame({"term": ["法治", "的", "法", "and", "案"], "count": [9, 5, 4, 3, 2]})
    a = plot_wordcloud(table, seed=3)
    drawn = set(a.lawgov_table["term"])
    assert {"法", "的", "案", "and", "法治"} == drawn
    b = plot_wordcloud(table, seed=3)
    assert a.lawgov_table.equals(b.lawgov_table)
    assert png_bytes(a) == png_bytes(b)
    with pytest.raises(ValueError, match="positive"):
        plot_wordcloud(pd.DataFrame({"term": ["法"], "count": [0]}))
