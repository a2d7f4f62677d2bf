"""Audit findings."""

from __future__ import annotations

import pytest

from lawgov_analysis.present.plots import plot_audit_findings

from .plot_tables import audit_table


def test_audit_findings_panels_and_options():
    assert len(plot_audit_findings(audit_table()).axes) == 2
    assert len(plot_audit_findings(audit_table(), panel="counts").axes) == 1
    with pytest.raises(ValueError, match="panel must be one of"):
        plot_audit_findings(audit_table(), panel="table")
    with pytest.raises(ValueError, match="missing column"):
        plot_audit_findings(audit_table().drop(columns="severity"))


def test_audit_counts_axis_reads_at_a_hundred_thousand_findings():
    import pandas as pd

    kinds = ["rate_mismatch", "part_whole_mismatch", "completion_gap"]
    rows = pd.DataFrame({"kind": [k for k, n in zip(kinds, (150_000, 180_000, 640_000)) for _ in range(n)]})
    big = rows.assign(stated=1.0, computed=1.0, difference=0.0, severity="info", doc_id="d")
    fig = plot_audit_findings(big, panel="counts")
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert 3 <= len(labels) <= 7
    assert all("," in x for x in labels if len(x.replace(",", "")) > 3)       # 200,000, not 200000
    assert "600,000" in labels
