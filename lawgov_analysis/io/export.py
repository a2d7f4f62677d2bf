"""Tables written for other software: Excel, Stata, R and Python, with a codebook beside every wide panel.

One function, :func:`write_table`, writes every table the package produces (the CLI's ``--out`` of every
command, the full tables beside the report pages), chosen by the file's suffix:

======== ====================================================================================================
suffix   what is written
======== ====================================================================================================
.csv     UTF-8 **with a byte-order mark** (``utf-8-sig``), comma-separated. Excel on a Chinese-language Windows
         machine reads a CSV without a BOM in the system code page (GBK) and garbles every Chinese character;
         with the BOM it reads UTF-8. pandas (``read_csv``), R (``readr::read_csv``, ``data.table::fread``) and
         Stata (``import delimited``) skip the mark, so the BOM costs the other tools nothing. Pass
         ``bom=False`` for a plain UTF-8 file.
.tsv     the same, tab-separated.
.parquet Apache Parquet (pyarrow), column names and types as they are: for R (``arrow::read_parquet``) and
         Python.
.dta     Stata 14+ format (version 118, Unicode): every column renamed to a valid Stata name by
         :func:`stata_names` (the original name, or the indicator's ``label_zh`` and unit, as the variable
         label), missing text as ``""`` (Stata has no missing string), nullable integers as doubles with
         Stata's missing value, lists joined as text.
.xlsx    an Excel workbook (openpyxl), control characters Excel refuses removed.
======== ====================================================================================================

A **wide panel** (``panel(..., wide=True)``: metadata columns, then one column per ``indicator_id|unit``) gets a
codebook beside it, ``<stem>_codebook.csv`` (:func:`panel_codebook`): one row per column with its Stata name,
Chinese label, unit and definition.

Stata names (:func:`stata_names`) follow one documented rule, so a do-file can rely on them:

1. an indicator column ``group.name|unit`` becomes ``group_name_<unit>``, the unit spelled in pinyin
   (件 → ``jian``, 人次 → ``renci``, 份 → ``fen``; ``%`` → ``pct``, ``‰`` → ``permille``): ``court.cases|件`` →
   ``court_cases_jian``. When that is longer than 32 characters the group is dropped
   (``decision.legal_adviser_opinions|份`` → ``legal_adviser_opinions_fen``), and when it is still too long
   the name part is cut;
2. any other column keeps its ASCII letters, digits and underscores, Chinese characters become pinyin and
   every other run of characters one ``_`` (none at either end); a name starting with a digit gets a ``v`` in front; Stata's
   reserved words (``_n``, ``int``, ``in`` …) get a trailing ``_``;
3. a name already taken gets ``_2``, ``_3`` … (cut so that it stays within 32 characters).
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.resources import resource_text

log = logging.getLogger(__name__)

__all__ = ["TABLE_FORMATS", "MAX_CSV_ROWS", "CODEBOOK_COLUMNS", "write_table", "write_csv", "save_stata", "stata_names",
           "stata_name", "variable_labels", "panel_codebook", "is_wide_panel", "read_codebook_entries"]

#: Suffixes :func:`write_table` writes.
TABLE_FORMATS = (".csv", ".tsv", ".parquet", ".dta", ".xlsx")

#: Most rows a page writes as CSV beside a table or a figure (a spreadsheet's sheet holds 1,048,576 rows with
#: the header): a larger table opens in no spreadsheet, and at 100,000 reports its CSV copies alone were
#: 800 MB, so it is written as Parquet only.
MAX_CSV_ROWS = 1_048_575

#: Columns of the codebook written beside a wide panel, in order.
CODEBOOK_COLUMNS = ["column", "variable", "indicator_id", "unit", "label_zh", "definition"]

#: Longest Stata variable name.
STATA_NAME_MAX = 32
#: Longest Stata variable label (characters).
STATA_LABEL_MAX = 80
#: Longest fixed-width Stata string (bytes); longer text columns are written as strL.
STATA_STR_MAX = 2045

# Stata's reserved names ([U] 11.3 Naming conventions); str1 … str2045 are matched by pattern
_STATA_RESERVED = frozenset({"_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long",
                             "_n", "_N", "_pi", "_pred", "_rc", "_skip", "strL", "using", "with"})
_STR_TYPE = re.compile(r"^str\d+$")
_INDICATOR_COLUMN = re.compile(r"^(?P<id>[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\|(?P<unit>.*)$")
_UNIT_WORDS = {"%": "pct", "％": "pct", "‰": "permille", "㎡": "pingfangmi"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NOT_NAME = re.compile(r"[^A-Za-z0-9_]+")
_EXCEL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# ------------------------------------------------------------------------------------------------ names
def _pinyin(text: str) -> str:
    """ASCII spelling of ``text``: Chinese characters as toneless pinyin syllables, joined without spaces."""
    if not _CJK.search(text):
        return text
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text, errors=lambda chars: list(chars)))


def _unit_slug(unit: str) -> str:
    unit = str(unit)
    if unit in _UNIT_WORDS:
        return _UNIT_WORDS[unit]
    slug = _NOT_NAME.sub("", _pinyin("".join(_UNIT_WORDS.get(ch, ch) for ch in unit)))
    return slug.lower()


def _clean(text: str) -> str:
    name = _NOT_NAME.sub("_", _pinyin(str(text))).strip("_") or "v"
    if name[0].isdigit():
        name = "v" + name
    return name


def _reserved(name: str) -> bool:
    return name in _STATA_RESERVED or bool(_STR_TYPE.match(name))


def stata_name(column) -> str:
    """A valid Stata variable name for ``column`` (rules 1 and 2 of the module docstring; not made unique).

    >>> stata_name("court.cases|件"), stata_name("decision.legal_adviser_opinions|份"), stata_name("year")
    ('court_cases_jian', 'legal_adviser_opinions_fen', 'year')
    >>> stata_name("review.cases|%"), stata_name("2021"), stata_name("int"), stata_name("受理 件数")
    ('review_cases_pct', 'v2021', 'int_', 'shouli_jianshu')
    """
    text = str(column)
    m = _INDICATOR_COLUMN.match(text)
    if m:
        parts = m.group("id").split(".")
        unit = _unit_slug(m.group("unit"))
        tail = f"_{unit}" if unit else ""
        name = "_".join(parts) + tail
        if len(name) > STATA_NAME_MAX:
            rest = "_".join(parts[1:])
            name = rest[: STATA_NAME_MAX - len(tail)].rstrip("_") + tail
    else:
        name = _clean(text)[:STATA_NAME_MAX]
    if _reserved(name):
        name = (name + "_")[-STATA_NAME_MAX:] if len(name) < STATA_NAME_MAX else name[:-1] + "_"
    return name


def stata_names(columns: Sequence) -> dict:
    """Unique valid Stata names for ``columns``: ``{column: name}`` in the given order.

    Each name is :func:`stata_name` of its column; a name already given to an earlier column gets ``_2``,
    ``_3`` … (cut to stay within 32 characters). Every name matches ``[A-Za-z_][A-Za-z0-9_]{0,31}`` and is not a
    Stata reserved word.

    >>> stata_names(["court.cases|件", "court.cases|起", "a b", "a-b"])
    {'court.cases|件': 'court_cases_jian', 'court.cases|起': 'court_cases_qi', 'a b': 'a_b', 'a-b': 'a_b_2'}
    """
    out, taken = {}, set()
    for column in columns:
        base = stata_name(column)
        name, k = base, 1
        while name.lower() in taken:  # Stata names are case-sensitive, but Windows file systems and users are not
            k += 1
            suffix = f"_{k}"
            name = base[: STATA_NAME_MAX - len(suffix)] + suffix
        taken.add(name.lower())
        out[column] = name
    return out


# --------------------------------------------------------------------------------------------- codebook
def read_codebook_entries() -> pd.DataFrame:
    """The bundled codebook entries (``resources/codebook.csv``): ``id, label_zh, definition``, one row per
    metadata column or indicator id; ``label_zh`` is empty for indicators (their labels are the indicator
    rules' ``[labels]``)."""
    text = "\n".join(line for line in resource_text("codebook.csv").splitlines() if not line.startswith("#"))
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def _bundled_indicator_labels() -> dict[str, str]:
    import tomllib

    return dict(tomllib.loads(resource_text("indicators.toml")).get("labels", {}))


def _label_map(labels) -> dict[str, str]:
    if labels is None:
        return _bundled_indicator_labels()
    if isinstance(labels, pd.DataFrame):
        return dict(zip(labels["indicator_id"].astype(str), labels["label_zh"].astype(str)))
    if isinstance(labels, Mapping):
        return {str(k): str(v) for k, v in labels.items()}
    raise TypeError(f"labels must be a DataFrame (indicator_id, label_zh) or a mapping, got {type(labels).__name__}")


def is_wide_panel(df: pd.DataFrame) -> bool:
    """Whether ``df`` is a wide indicator panel: ``doc_id`` and at least one ``indicator_id|unit`` column."""
    return "doc_id" in df.columns and any(_INDICATOR_COLUMN.match(str(c)) for c in df.columns)


def panel_codebook(wide: pd.DataFrame, *, labels: pd.DataFrame | Mapping | None = None) -> pd.DataFrame:
    """The codebook of a wide panel: what every column is, under which Stata name.

    Parameters
    ----------
    wide : DataFrame
        A wide panel (``panel(metrics, corpus, wide=True)``): metadata columns and ``indicator_id|unit``
        value columns; any other column is listed too.
    labels : DataFrame or mapping, keyword-only
        ``indicator_id → label_zh`` (``metrics.indicator_labels()`` of the rules used). ``None``: the bundled
        labels of ``indicators.toml``. An id without a label is labelled with the id.

    Returns
    -------
    DataFrame
        One row per column of ``wide``, in its order:

        - ``column`` (str): the column name in the CSV/Parquet/Excel file (``court.cases|件``).
        - ``variable`` (str): its name in the Stata file (:func:`stata_names`, ``court_cases_jian``).
        - ``indicator_id`` (str), ``unit`` (str): for value columns; ``""`` for metadata columns.
        - ``label_zh`` (str): the Chinese label (法院受理和审结案件; 地区 for ``region``).
        - ``definition`` (str): what the column holds (``docs/spec/indicators.md`` for indicators; ``""`` for
          a column the codebook does not know).

    >>> cb = panel_codebook(pd.DataFrame(columns=["doc_id", "year", "court.cases|件"]))
    >>> cb[["column", "variable", "label_zh"]].values.tolist()[-1]
    ['court.cases|件', 'court_cases_jian', '法院受理和审结案件']
    """
    entries = read_codebook_entries().set_index("id")
    names = _label_map(labels)
    variables = stata_names(list(wide.columns))
    rows = []
    for column in wide.columns:
        text = str(column)
        m = _INDICATOR_COLUMN.match(text)
        iid, unit = (m.group("id"), m.group("unit")) if m else ("", "")
        key = iid or text
        label = names.get(iid, iid) if iid else (entries.at[key, "label_zh"] if key in entries.index else "")
        definition = entries.at[key, "definition"] if key in entries.index else ""
        rows.append({"column": text, "variable": variables[column], "indicator_id": iid, "unit": unit,
                     "label_zh": label, "definition": definition})
    return pd.DataFrame(rows, columns=CODEBOOK_COLUMNS)


def variable_labels(df: pd.DataFrame, *, labels: pd.DataFrame | Mapping | None = None) -> dict[str, str]:
    """Variable labels for the columns of ``df``: ``{column: label}``.

    An indicator column gets ``label_zh (unit)`` (法院受理和审结案件 (件)), a known metadata column its codebook
    label and name (地区 (region)); a column whose Stata name differs from it gets its original name; other
    columns get no label. ``labels`` as in :func:`panel_codebook`.
    """
    out = {}
    names = stata_names(list(df.columns))
    for row, column in zip(panel_codebook(df, labels=labels).itertuples(index=False), df.columns):
        if row.indicator_id:
            out[column] = f"{row.label_zh} ({row.unit})" if row.unit else row.label_zh
        elif row.label_zh:
            out[column] = f"{row.label_zh} ({row.column})"
        elif names[column] != str(column):
            out[column] = str(column)
    return out


# ---------------------------------------------------------------------------------------------- writers
def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """A shallow copy without ``attrs`` (attrs may hold records no file format can store)."""
    out = df.copy(deep=False)
    out.attrs = {}
    return out


def write_csv(df: pd.DataFrame, path: str | Path, *, sep: str = ",", bom: bool = True) -> Path:
    """Write ``df`` as CSV (or TSV with ``sep="\\t"``) that Excel opens with its Chinese intact.

    UTF-8 with a byte-order mark unless ``bom=False`` (see the module docstring for why), no index, ``\\n``
    line ends. Creates the parent folder. Returns the path.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _plain(df).to_csv(path, sep=sep, index=False, encoding="utf-8-sig" if bom else "utf-8", lineterminator="\n")
    return path


def _text_cell(value) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, list | tuple | set | frozenset | np.ndarray):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        return "、".join(_text_cell(v) for v in items)
    return str(value)


def _stata_frame(df: pd.DataFrame, names: dict) -> tuple[pd.DataFrame, list[str], dict[str, str]]:
    """Columns converted to types Stata stores; the strL columns; date formats."""
    out, strl, dates = {}, [], {}
    for column in df.columns:
        s = df[column]
        name = names[column]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        if pd.api.types.is_bool_dtype(s.dtype):
            out[name] = s.astype("float64" if s.isna().any() else "int8")
        elif pd.api.types.is_datetime64_any_dtype(s.dtype):
            out[name] = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
            dates[name] = "td"
        elif pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_object_dtype(s.dtype):
            if isinstance(s.dtype, pd.api.extensions.ExtensionDtype):  # Int64, Float64, boolean: NA → NaN
                out[name] = s.astype("float64") if s.isna().any() else s.astype(s.dtype.numpy_dtype)
            else:
                out[name] = s
        else:
            values = [_text_cell(v) for v in s]
            out[name] = pd.Series(values, index=df.index, dtype=object)
            if values and max(len(v.encode("utf-8")) for v in values) > STATA_STR_MAX:
                strl.append(name)
    return pd.DataFrame(out, index=df.index), strl, dates


def save_stata(df: pd.DataFrame, path: str | Path, *, labels: Mapping | None = None,
               title: str | None = None) -> dict:
    """Write ``df`` as a Stata 118 (Unicode) ``.dta`` with valid variable names and Chinese variable labels.

    Parameters
    ----------
    df : DataFrame
        Any table. Columns are renamed by :func:`stata_names`.
    path : path
        The ``.dta`` file (its folder is created).
    labels : mapping, optional
        ``column → variable label``. Default: for a wide panel, ``label_zh (unit)`` of each indicator column
        and the codebook's label of each metadata column (:func:`panel_codebook`); for other tables, the
        original column name when the Stata name differs from it (:func:`variable_labels`). Labels are cut to
        80 characters.
    title : str, optional
        The data label of the file (default ``"lawgov-analysis"``).

    Returns
    -------
    dict
        ``{column: Stata name}`` — the renaming applied.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    names = stata_names(list(df.columns))
    if labels is None:
        labels = variable_labels(df)
    frame, strl, dates = _stata_frame(df, names)
    stata_labels = {names[c]: str(v)[:STATA_LABEL_MAX] for c, v in labels.items() if c in names and v}
    frame.to_stata(path, write_index=False, version=118, variable_labels=stata_labels,
                   data_label=(title or "lawgov-analysis")[:80], convert_strl=strl, convert_dates=dates or None)
    return names


def _excel_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = _plain(df)
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column].dtype) or pd.api.types.is_string_dtype(out[column].dtype):
            out[column] = [_EXCEL_ILLEGAL.sub("", v) if isinstance(v, str) else v for v in out[column]]
    return out


def write_table(df: pd.DataFrame, path: str | Path, *, bom: bool = True, codebook: bool | None = None,
                labels: pd.DataFrame | Mapping | None = None, title: str | None = None) -> list[Path]:
    """Write ``df`` to ``path`` in the format its suffix names; return the files written.

    Parameters
    ----------
    df : DataFrame
        Any table of the package (``attrs`` are not written).
    path : path
        ``.csv``, ``.tsv``, ``.parquet``, ``.dta`` or ``.xlsx`` (see the module docstring for each). Its folder
        is created.
    bom : bool, keyword-only
        CSV/TSV start with a UTF-8 byte-order mark (default, for Excel).
    codebook : bool or None, keyword-only
        Write ``<stem>_codebook.csv`` beside the table (:func:`panel_codebook`). ``None`` (default): when
        ``df`` is a wide panel (:func:`is_wide_panel`).
    labels : DataFrame or mapping, keyword-only
        Indicator labels for the codebook (default: the bundled labels).
    title : str, keyword-only
        Data label of a ``.dta`` file.

    Returns
    -------
    list of Path
        The table, then the codebook when one was written.

    Raises
    ------
    ValueError
        When the suffix is not one of :data:`TABLE_FORMATS` (the message names the file).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_FORMATS:
        raise ValueError(f"{path}: the suffix must be one of {', '.join(TABLE_FORMATS)}, got {suffix or 'none'}")
    path.parent.mkdir(parents=True, exist_ok=True)
    written = [path]
    if suffix == ".csv":
        write_csv(df, path, bom=bom)
    elif suffix == ".tsv":
        write_csv(df, path, sep="\t", bom=bom)
    elif suffix == ".parquet":
        _plain(df).to_parquet(path, index=False)
    elif suffix == ".dta":
        save_stata(df, path, labels=None if labels is None else variable_labels(df, labels=labels), title=title)
    else:
        _excel_frame(df).to_excel(path, index=False)
    if codebook or (codebook is None and is_wide_panel(df)):
        book = path.with_name(f"{path.stem}_codebook.csv")
        write_csv(panel_codebook(df, labels=labels), book, bom=bom)
        written.append(book)
    log.info("wrote %d rows to %s", len(df), path)
    return written
