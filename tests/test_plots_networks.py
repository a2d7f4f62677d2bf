"""Co-occurrence networks."""

from __future__ import annotations

from lawgov_analysis.present.plots import plot_cooccurrence_network

from .plot_tables import edges, png_bytes


def test_cooccurrence_network_undirected_and_seeded():
    fig = plot_cooccurrence_network(edges())
    table = fig.lawgov_table
    pairs = {(a, b): c for a, b, c in table.itertuples(index=False)}
    # (法治, 政府) and (政府, 法治) are one edge with the larger count; the self-pair is dropped
    assert pairs == {tuple(sorted(("法治", "政府"))): 5, tuple(sorted(("普法", "宣传"))): 3,
                     tuple(sorted(("法治", "普法"))): 2}
    other = plot_cooccurrence_network(edges().rename(columns={"term_a": "a", "term_b": "b"}), source="a",
                                      target="b", weight="association")
    assert len(other.lawgov_table) == 3
    assert png_bytes(plot_cooccurrence_network(edges(), seed=1)) == png_bytes(plot_cooccurrence_network(edges(), seed=1))
