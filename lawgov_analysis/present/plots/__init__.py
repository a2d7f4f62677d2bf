"""Figures from the package's tidy tables: Chinese labels, one style, any corpus size.

Compute first, draw second, save last: every ``plot_*`` function takes a tidy table (columns documented in
``docs/CONTRACT.md`` and in each docstring), draws it inside :func:`lawgov_analysis.present.style.style_context`
and returns a :class:`matplotlib.figure.Figure`. Nothing here calls ``plt.show()`` or writes files; save with
:func:`lawgov_analysis.present.save.save_figure`. Options are keyword-only; ``ax=`` draws into an existing
axes when the figure has one panel, ``font=`` overrides the CJK font.

One module per family of figures:

=================  ==================================================================
``terms``          :func:`plot_term_bars`, :func:`plot_wordcloud`
``distributions``  :func:`plot_distribution`
``themes``         :func:`plot_theme_heatmap`, :func:`plot_theme_trend`
``indicators``     :func:`plot_indicator_panel`, :func:`plot_metric_trend`
``topics``         :func:`plot_topic_terms`
``networks``       :func:`plot_cooccurrence_network`
``audit``          :func:`plot_audit_findings`
``series``         same-government lines shared by the trend figures
``base``           figure creation, tick formats, lineage shared by all
=================  ==================================================================

Figures are created with :class:`matplotlib.figure.Figure`, not ``pyplot``, so they are not kept open by
pyplot and a notebook shows a figure once, when it is the cell's value. Text added to a returned figure
later should be drawn inside ``with style_context():`` (or after ``use_style()``) to get the CJK font too.

Scale
-----
Figures size themselves from their content and never exceed ``MAX_PIXELS`` pixels on a side at
``DEFAULT_DPI`` (:mod:`lawgov_analysis.present.style`). One panel per report (or group) is drawn only up to
``MAX_PANELS``; beyond that the functions draw a summary (top terms summed over the groups with the number of
groups behind each bar; distributions by level, province or year with the number of reports behind each
box). Trends are honest: a line joins only the reports of one government
(:func:`lawgov_analysis.core.government.government_key`) across years; a cross-sectional corpus (one report
per government) is shown as distributions with ``n`` per group, never as a line.

Every figure keeps the rows it was drawn from in ``fig.lawgov_table`` (lineage); ``save_figure`` writes them
next to the image as ``<name>.csv``.
"""

from __future__ import annotations

from .audit import plot_audit_findings
from .distributions import plot_distribution
from .indicators import plot_indicator_panel, plot_metric_trend
from .networks import plot_cooccurrence_network
from .terms import plot_term_bars, plot_wordcloud
from .themes import plot_theme_heatmap, plot_theme_trend
from .topics import plot_topic_terms

__all__ = [
    "plot_term_bars", "plot_wordcloud", "plot_distribution", "plot_theme_heatmap", "plot_theme_trend",
    "plot_indicator_panel", "plot_metric_trend", "plot_topic_terms", "plot_cooccurrence_network",
    "plot_audit_findings",
]
