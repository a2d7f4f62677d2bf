"""Figures and tables: the paper style and CJK font (``style``), report labels and orders (``labels``), the
figures (``plots``, a module per family), byte-stable saving (``save``), tables for notebooks (``display``) and
data-driven notebook summaries (``summary``)."""
