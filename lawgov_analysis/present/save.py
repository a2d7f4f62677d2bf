"""Saving figures: one :func:`save_figure` that writes byte-stable PNG, SVG and PDF files with their table.

The same figure saved twice, in the same or another process, gives identical bytes: no dates, creators or
software versions in the files, SVG ids from a fixed salt, text as paths. The rows the figure was drawn from
(``fig.lawgov_table``) are written next to it as CSV, UTF-8 with a byte-order mark like every CSV the package
writes (:func:`lawgov_analysis.io.export.write_csv`: Excel on a Chinese-language Windows machine then reads its
Chinese).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..core.validate import check_option
from ..io import export
from .style import DEFAULT_DPI, MAX_PIXELS, style_context

#: Formats written by :func:`save_figure` by default.
DEFAULT_FORMATS = ("png", "svg")


def save_figure(fig, name: str, out_dir: str | os.PathLike, *, formats: Sequence[str] = DEFAULT_FORMATS,
                dpi: int = DEFAULT_DPI, table: bool = True, font: str | os.PathLike | None = None) -> list[Path]:
    """Write ``fig`` as ``<out_dir>/<name>.png`` and ``.svg`` with fixed metadata (byte-stable reruns).

    PNG is written at ``dpi`` (≥ 200; lowered for a figure whose longest side would exceed
    :data:`MAX_PIXELS` pixels, so that every PNG stays within it) without a Software entry; SVG with text as paths (the CJK font needs
    no installation to view it), a fixed id salt and no date or creator. Saving the same figure again gives
    identical bytes. ``pdf`` is accepted too (glyphs as Type 3 procedures, which suit the CFF-outline CJK
    font; no dates, no producer).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    name : str
        File stem without folders or extension (letters, digits, ``_``, ``-``, ``.``; Chinese is allowed).
    out_dir : path-like
        Created if missing.
    formats : sequence of {"png", "svg", "pdf"}
    table : bool
        Also write the rows the figure was drawn from (``fig.lawgov_table``) as ``<name>.csv`` (UTF-8 with a
        byte-order mark, :func:`~lawgov_analysis.io.export.write_csv`), or as ``<name>.parquet`` when they are
        more than :data:`~lawgov_analysis.io.export.MAX_CSV_ROWS`.

    Returns
    -------
    list of Path
        The files written, in ``formats`` order (then the CSV).
    """
    if not name or any(ch in name for ch in "/\\") or name in {".", ".."} or name.startswith("."):
        raise ValueError(f"name must be a file stem without folders, got {name!r}")
    for fmt in formats:
        check_option("format", fmt, ["png", "svg", "pdf"])
    if dpi < 200:
        raise ValueError(f"dpi must be at least 200 for paper figures, got {dpi}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    metadata = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    }
    longest = float(max(fig.get_size_inches()))
    dpi = min(float(dpi), math.floor(MAX_PIXELS / longest)) if longest * dpi > MAX_PIXELS else dpi
    written = []
    with style_context(font):
        for fmt in formats:
            path = out / f"{name}.{fmt}"
            fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata[fmt])
            written.append(path)
    data = getattr(fig, "lawgov_table", None)
    if table and isinstance(data, pd.DataFrame):
        if len(data) <= export.MAX_CSV_ROWS:
            written.append(export.write_csv(data, out / f"{name}.csv"))
        else:
            written.extend(export.write_table(data.reset_index(drop=True), out / f"{name}.parquet", codebook=False))
    return written


__all__ = ["DEFAULT_FORMATS", "save_figure"]
