"""Topic term panels."""

from __future__ import annotations

from lawgov_analysis.present.plots import plot_topic_terms

from .plot_tables import topic_terms


def test_topic_terms_panels():
    fig = plot_topic_terms(topic_terms(), n=2)
    assert fig.lawgov_table["term"].tolist() == ["普法", "宣传", "执法", "监督"]
    assert sum(a.get_visible() for a in fig.axes) == 2
