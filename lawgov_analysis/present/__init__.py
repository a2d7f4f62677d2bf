"""Figures, tables and HTML: ``plotting``, ``display`` and the notebook ``report`` builder."""
