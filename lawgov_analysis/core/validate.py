"""One wording for every bad-option error: ``by must be one of …, got …``."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def check_option(name: str, value, allowed: Iterable) -> None:
    """Raise ``ValueError("<name> must be one of a, b, c, got <value>")`` unless ``value`` is allowed."""
    allowed = list(allowed)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(str, allowed))}, got {value!r}")


def check_columns(df: pd.DataFrame, columns: Iterable[str], *, what: str = "table") -> None:
    """Raise ``ValueError`` naming the missing columns when ``df`` lacks any of ``columns``.

    Something that is not a table (a path, a list of texts) raises ``TypeError``; for ``what="corpus"`` the
    message says to load it with ``load_corpus``.
    """
    if not isinstance(df, pd.DataFrame):
        kind = type(df).__name__
        if what == "corpus":
            raise TypeError(f"corpus must be the report table of load_corpus(path) (a pandas DataFrame), got a "
                            f"{kind}; load files or folders with lawgov_analysis.load_corpus first")
        raise TypeError(f"{what} must be a pandas DataFrame, got a {kind}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} is missing column(s) {', '.join(missing)}; it has {', '.join(map(str, df.columns))}")
