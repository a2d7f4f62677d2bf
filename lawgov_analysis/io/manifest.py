"""Manifests as researchers keep them: read (CSV in any encoding the loader reads, or ``.xlsx``), check every
cell, and write (``manifest.csv`` that Excel opens as UTF-8, or ``manifest.xlsx``).

A manifest lists report files (``path``, relative to the manifest's folder) with metadata. A cell that cannot be
used — an impossible path (a null byte, too long, outside the folder, no such file), a file listed twice, a
duplicate ``doc_id``, an unreadable year, level or region code, a control character — becomes a ``warning``
row of the ingest account naming the manifest row, the column and the value; the rest of the corpus loads.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core.levels import LEVELS, normalize_level
from .readers import IngestError, ReadLimits, decode_bytes, human_bytes, open_zip
from .timeliness import parse_published

log = logging.getLogger(__name__)

#: Columns a manifest may have (``path`` is required, the rest are optional; ``parent_region`` is read as
#: ``city`` and ``url`` as ``source`` when those are absent; other columns are ignored). Names are matched
#: without regard to case or surrounding spaces.
MANIFEST_COLUMNS = ["doc_id", "path", "title", "author", "department", "region", "region_code", "province", "city",
                    "level", "year", "source"]
#: Optional date columns read besides :data:`MANIFEST_COLUMNS`: ``published`` (the day the report went online;
#: ``lawgov-analysis fetch`` writes it) — kept as ``YYYY-MM-DD`` (:func:`manifest_published`).
MANIFEST_DATE_COLUMNS = ["published"]
#: Provenance columns: where each field came from (manifest, title, opening, filename, url, gazetteer or "").
PROVENANCE_COLUMNS = ["title_source", "year_source", "region_source", "level_source", "author_source"]
#: Columns of the manifest written by :func:`write_manifest`: the manifest columns, then provenance and notes,
#: the confidence grade and ``check`` (why to check the row first; empty when nothing calls for it).
MANIFEST_OUT_COLUMNS = MANIFEST_COLUMNS + MANIFEST_DATE_COLUMNS + PROVENANCE_COLUMNS + ["metadata_note", "metadata_confidence", "check"]
#: File names read as a folder's manifest (at the top of the folder; the CSV wins when both exist).
MANIFEST_NAMES = ("manifest.csv", "manifest.xlsx")
#: Longest path cell used (characters); longer cells are a warning, not an operating-system error.
MAX_PATH_CHARS = 1024
#: Longest other cell used (characters).
MAX_CELL_CHARS = 2000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MANIFEST_YEAR = re.compile(r"^\s*((?:19|20)\d{2})(?:\.0*)?\s*年?\s*度?\s*$")


# ---------------------------------------------------------------------------------------------------------
# Cells


def manifest_year(value) -> int | None:
    """A manifest's year cell as an int: ``2021``, ``2021年``, ``2021.0``, ``"2021 "`` → 2021; "" → None.

    Raises ``ValueError`` for anything else (the caller reports it and keeps the inferred year).
    """
    text = "" if value is None else str(value).strip()
    if not text or text.lower() in ("nan", "<na>", "none"):
        return None
    m = _MANIFEST_YEAR.match(text)
    if not m:
        raise ValueError(f"{value!r} is not a year")
    return int(m.group(1))


def manifest_level(value) -> str:
    """A manifest's level cell as one of :data:`~lawgov_analysis.core.levels.LEVELS` (镇 and 乡 → 乡镇, 自治区 → 省 …,
    by :func:`~lawgov_analysis.core.levels.normalize_level`); raises ``ValueError`` otherwise."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    level = normalize_level(text)
    if not level:
        raise ValueError(f"{value!r} is not a level ({'/'.join(LEVELS)})")
    return level


def manifest_region_code(value) -> str:
    """A manifest's region_code cell: 6 digits (``360202``, ``360202.0``, 12-digit ``360202000000``), or 9 for a
    town (``360222102``, 12-digit ``360222102000``); raises ``ValueError`` otherwise."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    digits = re.sub(r"\.0*$", "", text)
    if digits.isdigit() and len(digits) == 12 and digits.endswith("000"):
        digits = digits[:6] if digits.endswith("000000") else digits[:9]
    if not (digits.isdigit() and len(digits) in (6, 9) and digits.isascii()):
        raise ValueError(f"{value!r} is not a 6-digit region code")
    return digits


#: Excel's day numbers (days since 1899-12-30) read as dates in ``published``: 2000-01-01 … 2099-12-31.
_EXCEL_DAYS = (36526, 73415)


def manifest_published(value) -> str:
    """A manifest's ``published`` cell as ``YYYY-MM-DD``; ``""`` when empty.

    Reads ``2022-03-30``, ``2022/3/30``, ``2022.3.30``, ``2022年3月30日`` (with or without a time after it), a
    date or datetime (an ``.xlsx`` date cell) and an Excel day number (``44650`` = 2022-03-30: a date cell whose
    format was lost). Raises ``ValueError`` for anything else (the caller reports it and leaves the date empty).

    >>> manifest_published("2022年3月30日"), manifest_published("2022/3/30 09:00"), manifest_published("44650")
    ('2022-03-30', '2022-03-30', '2022-03-30')
    """
    if isinstance(value, dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    text = "" if value is None else str(value).strip()
    if not text or text.lower() in ("nan", "nat", "<na>", "none"):
        return ""
    number = re.fullmatch(r"(\d{5})(?:\.\d+)?", text)
    if number and _EXCEL_DAYS[0] <= int(number.group(1)) <= _EXCEL_DAYS[1]:
        return (dt.date(1899, 12, 30) + dt.timedelta(days=int(number.group(1)))).isoformat()
    date = parse_published(text)
    if date is None:
        raise ValueError(f"{_shown(text)} is not a date (2022-03-30, 2022/3/30 or 2022年3月30日)")
    return date.isoformat()


def _shown(value: str) -> str:
    """A cell value for a message: quoted, control characters escaped, cut after 60 characters."""
    text = repr(value[:60])
    return text + (f" … ({len(value):,} characters)" if len(value) > 60 else "")


def _cell_problem(value: str, limit: int) -> str:
    if "\x00" in value:
        return "contains a null byte"
    if _CONTROL.search(value):
        return "contains a control character"
    if len(value) > limit:
        return f"longer than {limit:,} characters"
    return ""


# ---------------------------------------------------------------------------------------------------------
# Reading


@dataclass
class Manifest:
    """A manifest as read: ``table`` (one row per manifest row, all cells ``str``, index = the row number a
    spreadsheet shows, the header being row 1; columns renamed to :data:`MANIFEST_COLUMNS` where they match),
    its ``encoding`` and ``problems`` met while reading (``(row, column, value, reason)``)."""

    path: Path
    table: pd.DataFrame
    encoding: str
    problems: list[tuple[int, str, str, str]] = field(default_factory=list)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _rows_from_csv(path: Path, data: bytes) -> tuple[list[list[str]], list[int], str]:
    try:
        text, encoding = decode_bytes(data, allow_controls=True)
    except IngestError as exc:
        raise ValueError(f"{path}: cannot read the manifest ({exc})") from None
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","  # Excel's "Unicode text" is tab-separated
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    rows, numbers = [], []
    try:
        for row in reader:
            rows.append(row)
            numbers.append(reader.line_num)
    except csv.Error as exc:
        raise ValueError(f"{path}: cannot read the manifest (line {reader.line_num + 1}: {exc})") from None
    return rows, numbers, encoding


def _rows_from_xlsx(path: Path, data: bytes, limits: ReadLimits) -> tuple[list[list[str]], list[int], str]:
    import openpyxl

    try:
        open_zip(data, limits=limits, what=".xlsx").close()
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except IngestError as exc:
        raise ValueError(f"{path}: cannot read the manifest ({exc})") from None
    except Exception as exc:  # openpyxl raises many types on broken workbooks
        raise ValueError(f"{path}: cannot read the manifest (not a readable .xlsx: {type(exc).__name__})") from None
    try:
        sheet = book.worksheets[0]
        rows, numbers = [], []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append([_cell_text(v) for v in values])
            numbers.append(number)
    except Exception as exc:  # a damaged sheet part
        raise ValueError(f"{path}: cannot read the manifest (damaged sheet: {type(exc).__name__})") from None
    finally:
        book.close()
    return rows, numbers, "xlsx"


def read_manifest(path: str | Path, *, limits: ReadLimits | None = None) -> Manifest:
    """Read a manifest: ``.csv`` (UTF-8 with or without BOM, GBK/GB18030, UTF-16 … as :func:`decode_bytes`
    reads report texts; comma- or tab-separated) or ``.xlsx`` (first sheet).

    Returns a :class:`Manifest`. Raises ``ValueError`` with a one-line message naming the file when the manifest
    as a whole cannot be used (undecodable, not a workbook, larger than ``limits``, no ``path`` column).
    """
    limits = limits or ReadLimits()
    path = Path(path)
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise ValueError(f"{path}: cannot read the manifest (larger than {human_bytes(limits.max_bytes)})")
    data = path.read_bytes()
    if path.suffix.lower() == ".xlsx":
        rows, numbers, encoding = _rows_from_xlsx(path, data, limits)
    else:
        rows, numbers, encoding = _rows_from_csv(path, data)
    while rows and not any(c.strip() for c in rows[0]):
        rows, numbers = rows[1:], numbers[1:]
    if not rows:
        raise ValueError(f"{path}: the manifest is empty (a manifest needs a 'path' column)")
    known = {c.lower(): c for c in [*MANIFEST_COLUMNS, *MANIFEST_DATE_COLUMNS, "parent_region", "url"]}
    header = [c.replace("\ufeff", "").strip() for c in rows[0]]
    names = [known.get(c.lower(), c) for c in header]
    problems: list[tuple[int, str, str, str]] = []
    keep: dict[str, int] = {}
    for i, name in enumerate(names):
        if not name:
            continue
        if name in keep:
            problems.append((numbers[0], name, name, f"column {name!r} appears twice; the first is used"))
            continue
        keep[name] = i
    if "path" not in keep:
        shown = ", ".join(repr(n) for n in names if n)[:200] or "none"
        raise ValueError(f"{path}: a manifest needs a 'path' column; it has {shown}")
    records, index = [], []
    for number, row in zip(numbers[1:], rows[1:]):
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
            extra = next(c for c in row[len(header):] if c.strip())
            problems.append((number, "", extra, f"{len(row)} cells but {len(header)} columns; extra cells ignored"))
        records.append({name: (row[i] if i < len(row) else "") for name, i in keep.items()})
        index.append(number)
    table = pd.DataFrame(records, columns=list(keep), index=pd.Index(index, name="row"), dtype=object)
    if "city" not in table.columns and "parent_region" in table.columns:
        table["city"] = table["parent_region"]
    if "source" not in table.columns and "url" in table.columns:
        table["source"] = table["url"]
    return Manifest(path, table, encoding, problems)


def is_manifest(path: Path) -> bool:
    """A ``.xlsx`` named like a manifest, or a ``.csv`` whose header (in any encoding the loader reads) has a
    ``path`` column."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return path.name.lower() in MANIFEST_NAMES
    if suffix != ".csv":
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536)
    except OSError:
        return False
    for cut in range(4):  # the 64 KB cut may split a character
        try:
            text, _ = decode_bytes(head[: len(head) - cut], allow_controls=True)
            break
        except IngestError:
            continue
    else:
        return False
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    cells = first.split("\t") if "\t" in first and "," not in first else first.split(",")
    return "path" in [c.strip().strip('"').lower() for c in cells]


# ---------------------------------------------------------------------------------------------------------
# From manifest rows to files


def _warning(path: str, reason: str, doc_id: str = "") -> dict:
    return dict(path=path, status="warning", reason=reason, doc_id=doc_id)


def _resolve(root: Path, raw: str) -> tuple[Path | None, str]:
    """The file a path cell names, or ``(None, reason)``; never raises on impossible paths."""
    problem = _cell_problem(raw, MAX_PATH_CHARS)
    if problem:
        return None, problem
    if any(len(part.encode("utf-8")) > 255 for part in re.split(r"[\\/]", raw)):
        return None, "a path part longer than 255 bytes"
    root_resolved = root.resolve()
    tries = [raw] + ([raw.replace("\\", "/")] if "\\" in raw else [])  # a path typed on Windows
    reason = "listed in manifest but file not found"
    for candidate in tries:
        try:
            resolved = (root / candidate).resolve()
            if not resolved.is_relative_to(root_resolved):
                return None, "outside the corpus folder"
            if resolved.is_dir():
                reason = "a folder, not a file"
                continue
            if resolved.is_file():
                return resolved, ""
        except (OSError, ValueError, RuntimeError) as exc:
            return None, f"cannot be used as a path ({type(exc).__name__}: {exc})"
    return None, reason


def manifest_entries(manifest_file: Path, root: Path, *, shown_root: Path,
                     limits: ReadLimits | None = None) -> tuple[list[dict], list[dict]]:
    """The files a manifest lists, with their metadata, and its account rows.

    Returns ``(entries, account)``: ``entries`` are dicts ``file`` (Path), ``shown`` (path relative to ``root``),
    ``meta`` (the row's cells checked: ``year`` an int or None, ``level``/``region_code`` normalised, others
    stripped; ``_row`` the manifest row) and ``problems`` (warning rows about this row's cells, to be attached
    to the report). ``account`` has the manifest's own row (``skipped``: "manifest, not a report …") and a
    ``warning`` row for each manifest row that cannot be used. Raises ``ValueError`` when the manifest as a
    whole cannot be read (see :func:`read_manifest`).
    """
    manifest = read_manifest(manifest_file, limits=limits)
    name = manifest_file.relative_to(shown_root).as_posix()
    account = [dict(path=name, status="skipped", doc_id="",
                    reason=f"manifest, not a report (metadata for {len(manifest.table)} listed file(s))")]
    for row, column, value, reason in manifest.problems:
        where = f"row {row}" + (f", {column}" if column else "")
        account.append(_warning(name, f"manifest {where} {_shown(value)}: {reason}"))
    root_resolved = root.resolve()
    manifest_resolved = manifest_file.resolve()
    first_row: dict[Path, int] = {}
    entries: list[dict] = []
    for number, row in manifest.table.iterrows():
        raw = str(row.get("path", "")).strip()
        if not raw:
            account.append(_warning(name, f"manifest row {number} has no path; row not used"))
            continue
        file, reason = _resolve(root, raw)
        if file is not None and (file == manifest_resolved or file.name.lower() in MANIFEST_NAMES):
            file, reason = None, "lists a manifest, not a report"
        if file is not None and file in first_row:
            file, reason = None, f"lists the same file as row {first_row[file]}"
        if file is None:
            account.append(_warning(name, f"manifest row {number}, path {_shown(raw)}: {reason}; row not used"))
            continue
        first_row[file] = number
        meta, problems = check_row(row, number)
        entries.append(dict(file=file, shown=file.relative_to(root_resolved).as_posix(), meta=meta,
                            problems=problems))
    return entries, account


def check_row(row: pd.Series | dict, number: int) -> tuple[dict, list[str]]:
    """A manifest row's metadata cells checked: returns ``(meta, problems)``. An unusable cell is dropped (the
    inferred value stays) and described in ``problems`` ("manifest row 4, year '20x1' is not a year; …")."""
    meta: dict = {"_row": number, "_manifest_row": "present"}
    problems: list[str] = []
    for column in MANIFEST_COLUMNS + MANIFEST_DATE_COLUMNS:
        if column == "path":
            continue
        value = row.get(column, "")
        value = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
        problem = _cell_problem(value, MAX_CELL_CHARS if column != "doc_id" else 200)
        if not problem and column == "doc_id" and re.search(r"[\\/]", value):
            problem = "contains a slash"
        if problem:
            problems.append(f"manifest row {number}, {column} {_shown(value)} {problem}; kept the inferred value")
            value = ""
        for name, parse in (("year", manifest_year), ("level", manifest_level),
                            ("region_code", manifest_region_code)):
            if column == name:
                try:
                    value = parse(value)
                except ValueError as exc:
                    problems.append(f"manifest row {number}, {column} {exc}; kept the inferred value")
                    value = None if column == "year" else ""
        if column == "published" and value:
            try:
                value = manifest_published(value)
            except ValueError as exc:
                problems.append(f"manifest row {number}, published {exc}; left empty")
                value = ""
        meta[column] = value
    return meta, problems


# ---------------------------------------------------------------------------------------------------------
# Writing


def build_manifest(path: str | Path | Sequence[str | Path], *, out: str | Path | None = None) -> pd.DataFrame:
    """A pre-filled manifest for the reports under ``path``: :data:`MANIFEST_OUT_COLUMNS`, one row per report.

    Values are those :func:`~lawgov_analysis.io.corpus.load_corpus` gives (an existing manifest wins, the rest
    is inferred), with their provenance and notes, so a researcher can check and correct them. ``check`` says
    why a row should be checked first (empty year, region or level; a place name several places share; low
    confidence: :func:`~lawgov_analysis.io.metadata_check.check_reason`); those rows come first, each group in
    ``doc_id`` order. ``path`` values are relative to the folder of ``out`` (default: the corpus folder), where
    the manifest must live to be read back.
    """
    from .corpus import load_corpus
    from .metadata_check import check_reason

    corpus = load_corpus(path, report=False)
    roots = [Path(p) for p in ([path] if isinstance(path, (str, Path)) else path)]
    base = Path(out).resolve().parent if out else (roots[0] if roots[0].is_dir() else roots[0].parent).resolve()
    table = corpus.copy()
    files = []
    for shown in table["path"]:
        found = next((r / shown for r in roots if r.is_dir() and (r / shown).exists()), None)
        found = found or next((r for r in roots if r.is_file() and r.name == shown), None)
        found = found or next((r.parent / shown for r in roots if r.is_file() and (r.parent / shown).exists()),
                              Path(shown))
        files.append(Path(os.path.relpath(found.resolve(), base)).as_posix())
    table["path"] = files
    table["year"] = table["year"].astype("Int64")
    table["published"] = table["published"].dt.strftime("%Y-%m-%d").fillna("")
    table["check"] = [check_reason(row) for row in table.to_dict("records")]
    table = table.sort_values("check", key=lambda c: c.eq(""), kind="stable")
    return table[MANIFEST_OUT_COLUMNS].reset_index(drop=True)


def _atomic(target: Path, write) -> None:
    """Call ``write(tmp_path)`` and rename the temporary file to ``target``: never a half-written manifest."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_manifest(manifest: pd.DataFrame, target: str | Path) -> Path:
    """Write a manifest table to ``target``: ``.xlsx`` (one sheet, every cell text except ``year``; nothing
    read as a formula) or CSV in UTF-8 with a byte-order mark, so Excel shows the Chinese correctly.

    The file is written to a temporary name and renamed. Returns the path written.
    """
    target = Path(target)
    if target.suffix.lower() == ".xlsx":
        _atomic(target, lambda tmp: _write_xlsx(manifest, tmp))
    else:
        _atomic(target, lambda tmp: manifest.to_csv(tmp, index=False, encoding="utf-8-sig"))
    return target


def _write_xlsx(manifest: pd.DataFrame, tmp: Path) -> None:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "manifest"
    sheet.append(list(manifest.columns))
    for record in manifest.itertuples(index=False):
        values = []
        for column, value in zip(manifest.columns, record):
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                values.append(None)
            elif column == "year":
                values.append(int(value))
            else:
                values.append(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
        sheet.append(values)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even when it starts with "=" (never a formula)
    sheet.freeze_panes = "A2"
    book.save(tmp)


def write_manifest(path: str | Path | Sequence[str | Path], out: str | Path | None = None, *,
                   overwrite: bool = False) -> tuple[Path, pd.DataFrame]:
    """Write :func:`build_manifest` to ``out`` (default ``PATH/manifest.csv`` for a folder).

    ``out`` ending in ``.xlsx`` writes a workbook; anything else a CSV in UTF-8 with a byte-order mark (Excel
    opens it with the Chinese intact; :func:`read_manifest` reads both). Refuses to replace an existing file
    unless ``overwrite`` (the existing manifest's values are kept in the new one anyway, since the loader reads
    it first). Returns ``(written path, manifest)``.
    """
    first = Path(path if isinstance(path, (str, Path)) else list(path)[0])
    target = Path(out) if out else (first / "manifest.csv" if first.is_dir() else first.parent / "manifest.csv")
    if target.exists() and not overwrite:
        raise FileExistsError(f"{target} exists; pass --out another.csv (or --force to replace it)")
    manifest = build_manifest(path, out=target)
    save_manifest(manifest, target)
    return target, manifest
