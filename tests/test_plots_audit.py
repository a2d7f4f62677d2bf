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
