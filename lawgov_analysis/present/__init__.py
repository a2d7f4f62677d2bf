"""Figures, tables and HTML: ``plotting``, ``display``, data-driven notebook summaries (``summary``) and the
notebook ``report`` builder."""
