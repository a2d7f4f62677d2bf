"""Audit findings: counts by kind and severity, and stated against computed values."""

from __future__ import annotations

import os
from typing import Literal

import numpy as np
import pandas as pd

from ...core.validate import check_columns, check_option
from ..style import OTHER_COLOR, category_colors, style_context
from .base import escape_text, finish_figure, new_figure, plain_numbers

_SEVERITY_COLORS = {
    "info": "#56B4E9", "low": "#56B4E9", "ok": "#009E73", "minor": "#E69F00", "warning": "#E69F00",
    "medium": "#E69F00", "error": "#D55E00", "high": "#D55E00", "major": "#D55E00", "critical": "#000000",
}
_SEVERITY_ORDER = ["ok", "info", "low", "minor", "warning", "medium", "error", "high", "major", "critical"]


def plot_audit_findings(findings: pd.DataFrame, *, panel: Literal["both", "counts", "scatter"] = "both",
                        log: bool | None = None, title: str | None = None, ax=None,
                        font: str | os.PathLike | None = None):
    """Audit findings: counts by kind and severity, and stated against computed values.

    Parameters
    ----------
    findings : DataFrame
        The ``audit.audit`` table: ``kind, stated, computed, difference, severity`` (one row per finding;
        ``doc_id`` and ``evidence`` are kept in the lineage table when present).
    panel : {"both", "counts", "scatter"}
        ``counts``: stacked bars of findings per kind by severity. ``scatter``: stated vs computed value with
        the line stated = computed (points off the line are inconsistencies). ``both``: side by side.
    log : bool or None
        Log-scale axes for the scatter (non-positive values are dropped). Default: log scale when every value
        is positive and they span more than two orders of magnitude.
    ax : matplotlib Axes, optional
        Only with a single panel.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.lawgov_table``: the findings that were drawn.
    """
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    check_option("panel", panel, ["both", "counts", "scatter"])
    check_columns(findings, ["kind", "stated", "computed", "difference", "severity"], what="findings")
    df = findings.copy()
    df["severity"] = df["severity"].astype("string").fillna("")
    df["kind"] = df["kind"].astype("string").fillna("")
    sev = sorted(pd.unique(df["severity"]),
                 key=lambda s: (_SEVERITY_ORDER.index(s.lower()) if s.lower() in _SEVERITY_ORDER else 99, s))
    extra = category_colors([s for s in sev if s.lower() not in _SEVERITY_COLORS])
    colors = {s: _SEVERITY_COLORS.get(s.lower(), extra.get(s, OTHER_COLOR)) for s in sev}
    panels = ["counts", "scatter"] if panel == "both" else [panel]
    with style_context(font):
        fig, axes = new_figure(ax, nrows=1, ncols=len(panels), size=(5.0 * len(panels), 3.8), squeeze=False)
        for a, p in zip(axes.flat, panels):
            if p == "counts":
                counts = df.groupby(["kind", "severity"], sort=True).size().unstack(fill_value=0)
                counts = counts.reindex(columns=sev, fill_value=0)
                left = np.zeros(len(counts))
                for s in sev:
                    a.barh([escape_text(k) for k in counts.index.astype(str)], counts[s].to_numpy(), left=left, color=colors[s],
                           label=s or "(none)", height=0.6)
                    left += counts[s].to_numpy()
                a.set_xlabel("findings")
                # few ticks with thousands separators: at 100,000 reports nine six-digit labels ran together
                a.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
                a.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
                a.tick_params(axis="y", length=0)
                if len(counts):
                    a.legend(title="severity", loc="upper left", bbox_to_anchor=(1.0, 1.0))
            else:
                num = df.assign(stated=pd.to_numeric(df["stated"], errors="coerce"),
                                computed=pd.to_numeric(df["computed"], errors="coerce"))
                num = num.dropna(subset=["stated", "computed"])
                if log is None:
                    both = pd.concat([num["stated"], num["computed"]])
                    log = bool(len(both)) and bool((both > 0).all()) and both.max() / both.min() > 100
                if log:
                    num = num[(num["stated"] > 0) & (num["computed"] > 0)]
                for s in sev:
                    part = num[num["severity"] == s]
                    if len(part):
                        a.scatter(part["stated"], part["computed"], s=28, color=colors[s], label=s or "(none)",
                                  alpha=0.85, linewidths=0)
                if len(num):
                    lo = float(min(num["stated"].min(), num["computed"].min()))
                    hi = float(max(num["stated"].max(), num["computed"].max()))
                    a.plot([lo, hi], [lo, hi], color="#777777", linewidth=1, linestyle="--", label="stated = computed")
                    a.legend(loc="upper left")
                plain_numbers(a, "x", log=bool(log))
                plain_numbers(a, "y", log=bool(log))
                a.set_xlabel("stated")
                a.set_ylabel("computed")
                a.grid()
                a.set_axisbelow(True)
        if title:
            fig.suptitle(title) if len(panels) > 1 else axes.flat[0].set_title(title)
        return finish_figure(fig, df)


__all__ = ["plot_audit_findings"]
