"""Load reports from files, folders or a manifest into one tidy table, and account for every file.

The loader reads ``.txt`` (any encoding Chinese government sites use), ``.docx``, ``.pdf`` with a text layer
and ``.html``/``.htm``. One bad file never stops the rest: each file gets a row in the ingest account
(``loaded``, ``skipped`` or ``duplicate``) with a specific reason.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..core.config import MAX_FILE_BYTES

log = logging.getLogger(__name__)

#: Columns of the report table, in order (see docs/CONTRACT.md).
CORPUS_COLUMNS = [
    "doc_id", "path", "format", "encoding", "title", "author", "department", "region", "region_code", "province",
    "city", "level", "year", "source", "chars", "furniture_chars", "furniture_lines", "sha256", "text",
    "title_source", "year_source", "region_source", "level_source", "author_source", "metadata_note",
]
#: Provenance columns: where each field came from (manifest, title, opening, filename, url, gazetteer or "").
PROVENANCE_COLUMNS = ["title_source", "year_source", "region_source", "level_source", "author_source"]
#: Columns of the ingest account, in order.
INGEST_COLUMNS = ["path", "status", "reason", "doc_id"]
#: Columns a manifest CSV may have (``path`` is required, the rest are optional; ``parent_region`` is read as
#: ``city`` and ``url`` as ``source`` when those are absent; other columns are ignored).
MANIFEST_COLUMNS = ["doc_id", "path", "title", "author", "department", "region", "region_code", "province", "city",
                    "level", "year", "source"]
#: Columns of the manifest written by :func:`write_manifest`: the manifest columns, then provenance and notes.
MANIFEST_OUT_COLUMNS = MANIFEST_COLUMNS + PROVENANCE_COLUMNS + ["metadata_note"]

REPORT_FORMATS = {".txt": "txt", ".text": "txt", ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html"}
#: Files other commands write beside the reports: skipped with what they are, not as an unknown format.
_COMPANION_FILES = {
    "fetch-account.csv": "fetch account (what lawgov-analysis fetch did with each URL; not a report)",
}

_KNOWN_OTHER = {
    ".doc": "not a report format (.doc: legacy Word, save it as .docx)",
    ".wps": "not a report format (.wps: save it as .docx)",
    ".rtf": "not a report format (.rtf: save it as .docx or .txt)",
}

class IngestError(Exception):
    """A file cannot be loaded; the message is the reason shown in the ingest account."""


@dataclass
class _Loaded:
    text: str
    format: str
    encoding: str
    title_hint: str = ""
    url: str = ""


# ---------------------------------------------------------------------------------------------------------
# Decoding


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Tried in order after UTF-8: the narrowest Chinese encoding that decodes strictly is reported.
_CHINESE_ENCODINGS = ("gb2312", "gbk", "gb18030", "big5")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _plausible(text: str) -> bool:
    """Decoded text looks like text: few control characters, and some CJK or ASCII letters."""
    if not text:
        return True
    controls = len(_CONTROL.findall(text))
    return controls <= max(2, len(text) // 1000)


def _utf16_without_bom(data: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when NUL bytes sit at alternating positions (UTF-16 without BOM)."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    zeros_even, zeros_odd = even.count(0), odd.count(0)
    half = len(data) // 2
    # ASCII-heavy text in UTF-16 has NULs in one lane; CJK text has none, so also try a strict decode below.
    if zeros_odd > half * 0.2 and zeros_even < half * 0.05:
        return "utf-16-le"
    if zeros_even > half * 0.2 and zeros_odd < half * 0.05:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode report bytes, returning ``(text, encoding)``.

    Order: byte-order mark; strict UTF-8; UTF-16 without BOM (by its NUL pattern, or by charset-normalizer);
    the narrowest of GB2312 / GBK / GB18030 / Big5 that decodes strictly. Raises :class:`IngestError` with
    "undecodable bytes at offset N" when nothing decodes cleanly (N is the furthest any candidate got).
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name if name != "utf-16" else (
                    "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be")
            except UnicodeDecodeError as exc:
                raise IngestError(f"undecodable bytes at offset {exc.start} ({name} with BOM)") from None
    furthest = 0
    try:
        text = data.decode("utf-8")
        if _plausible(text):
            return text, "utf-8"
    except UnicodeDecodeError as exc:
        furthest = exc.start
    candidates: list[str] = []
    lane = _utf16_without_bom(data)
    if lane:
        candidates.append(lane)
    candidates.extend(_CHINESE_ENCODINGS)
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000], cp_isolation=["utf_16_le", "utf_16_be", *_CHINESE_ENCODINGS]).best()
        if best is not None and best.encoding in ("utf_16_le", "utf_16_be"):
            candidates.insert(0, best.encoding.replace("_", "-"))
    except Exception:  # detection is a hint only; strict decoding below decides
        log.debug("charset-normalizer failed", exc_info=True)
    for name in dict.fromkeys(candidates):
        try:
            text = data.decode(name)
        except UnicodeDecodeError as exc:
            furthest = max(furthest, exc.start)
            continue
        if _plausible(text) and (not name.startswith("utf-16") or _cjk_share(text) > 0.05 or text.isascii()):
            return text, name
    raise IngestError(f"undecodable bytes at offset {furthest}")


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") / len(text)


def normalize_newlines(text: str) -> str:
    """Normalise ``\\r\\n`` and ``\\r`` line endings to ``\\n``; no other character changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------------------------------------------------
# Format readers


def _read_txt(data: bytes) -> _Loaded:
    text, encoding = decode_bytes(data)
    return _Loaded(text, "txt", encoding)


def _read_docx(data: bytes) -> _Loaded:
    import zipfile

    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise IngestError("corrupt or truncated .docx (not a valid zip archive)") from None
    except Exception as exc:  # python-docx raises several types for broken packages
        raise IngestError(f"corrupt .docx ({type(exc).__name__}: {exc})") from None
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = cell.text.strip()
                    if not cells or cells[-1] != value:  # merged cells repeat their text
                        cells.append(value)
                lines.append("\t".join(cells))
    return _Loaded("\n".join(lines), "docx", "docx (utf-8 xml)")


def _read_pdf(data: bytes) -> _Loaded:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - pypdf is a dependency
        raise IngestError(f"cannot read .pdf ({exc})") from None
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                try:
                    reader.decrypt("")
                except Exception:
                    raise IngestError("encrypted PDF (password required)") from None
            pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, Exception) as exc:
        raise IngestError(f"corrupt PDF ({type(exc).__name__}: {exc})") from None
    text = "\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        raise IngestError("no text layer (scanned PDF?)")
    return _Loaded(text, "pdf", "pdf text layer")


def _read_html(data: bytes) -> _Loaded:
    html, encoding = decode_html(data)
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - trafilatura is a dependency
        raise IngestError(f"cannot read HTML ({exc})") from None
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True,
                               deduplicate=False, output_format="txt")
    if not text or not text.strip():
        raise IngestError("no main text found in HTML page")
    title = url = ""
    meta = trafilatura.extract_metadata(html)
    if meta is not None and meta.title:
        title = meta.title.strip()
    if meta is not None and getattr(meta, "url", None):
        url = str(meta.url).strip()
    return _Loaded(text, "html", encoding, title_hint=title, url=url)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def decode_html(data: bytes, charset: str = "") -> tuple[str, str]:
    """Decode an HTML page: the HTTP header's ``charset`` (when fetched), else the page's ``<meta charset>``,
    else detection (:func:`decode_bytes`). Returns ``(html, encoding)``.

    GB2312/GBK declarations are read as GB18030: pages declaring GB2312 routinely contain GBK characters.
    """
    candidates = [charset] if charset else []
    match = _META_CHARSET.search(data[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "ignore").lower())
    for name in candidates:
        name = "gb18030" if name.lower() in ("gb2312", "gbk", "x-gbk") else name
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            continue
    return decode_bytes(data)


_READERS = {"txt": _read_txt, "docx": _read_docx, "pdf": _read_pdf, "html": _read_html}


def read_report(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> tuple[str, str, str, str]:
    """Read one report file and return ``(text, format, encoding, title_hint)``.

    ``text`` keeps the characters as decoded, with line endings normalised to ``\\n``. Raises
    :class:`IngestError` whose message is the reason the file cannot be loaded.
    """
    loaded = _read_loaded(Path(path), max_bytes)
    return loaded.text, loaded.format, loaded.encoding, loaded.title_hint


def _read_loaded(path: Path, max_bytes: int) -> _Loaded:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in REPORT_FORMATS:
        raise IngestError(_KNOWN_OTHER.get(suffix, f"not a report format ({suffix or 'no extension'})"))
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(f"file larger than {_human_bytes(max_bytes)} ({_human_bytes(size)})")
    if size == 0:
        raise IngestError("empty file")
    data = path.read_bytes()
    loaded = _READERS[REPORT_FORMATS[suffix]](data)
    text = normalize_newlines(loaded.text)
    if not text.strip():
        raise IngestError("empty file" if loaded.format == "txt" else f"empty file (no text in the .{suffix[1:]})")
    loaded.text = text
    return loaded


def _human_bytes(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}".replace(".0 ", " ")
        n /= 1024
    return f"{n} bytes"  # pragma: no cover


# ---------------------------------------------------------------------------------------------------------
# Metadata (inference lives in .metadata, region codes in .gazetteer)

from .gazetteer import load_gazetteer, resolve_chain  # noqa: E402
from .metadata import LEVELS, infer_metadata, parse_region, strip_furniture  # noqa: E402,F401

_MANIFEST_YEAR = re.compile(r"^\s*((?:19|20)\d{2})(?:\.0*)?\s*年?\s*度?\s*$")
_LEVEL_ALIASES = {"镇": "乡镇", "乡": "乡镇", "乡镇": "乡镇", "街道办事处": "街道", "街道": "街道", "旗": "县",
                  "自治县": "县", "县级市": "县", "地级市": "市", "自治州": "市", "自治区": "省", "直辖市": "省",
                  "department": "部门"}
_GEO = ("region", "region_code", "province", "city")


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
    """A manifest's level cell as one of :data:`LEVELS` (镇 and 乡 → 乡镇); raises ``ValueError`` otherwise."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    text = _LEVEL_ALIASES.get(text, text)
    if text not in LEVELS:
        raise ValueError(f"{value!r} is not a level ({'/'.join(LEVELS)})")
    return text


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


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_manifest(path: Path) -> pd.DataFrame:
    try:
        manifest = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ValueError(f"{path}: cannot read the manifest ({type(exc).__name__}: {exc})") from None
    manifest.columns = [c.strip() for c in manifest.columns]
    if "path" not in manifest.columns:
        raise ValueError(f"{path}: a manifest needs a 'path' column; it has {', '.join(manifest.columns)}")
    if "city" not in manifest.columns and "parent_region" in manifest.columns:
        manifest["city"] = manifest["parent_region"]
    if "source" not in manifest.columns and "url" in manifest.columns:
        manifest["source"] = manifest["url"]
    return manifest


def _is_manifest(path: Path) -> bool:
    if path.suffix.lower() != ".csv":
        return False
    try:
        header = path.read_text(encoding="utf-8-sig").split("\n", 1)[0]
    except (OSError, UnicodeDecodeError):
        return False
    return "path" in [c.strip() for c in header.split(",")]


def _unique_id(base: str, used: set[str]) -> str:
    doc_id, n = base, 2
    while doc_id in used:
        doc_id, n = f"{base}-{n}", n + 1
    used.add(doc_id)
    return doc_id


def _clean_manifest(meta: dict, shown: str, warnings_out: list[dict]) -> dict:
    """Parse a manifest row's cells; an unreadable cell is reported and dropped (the inferred value stays)."""
    out = {k: (meta.get(k) or "").strip() for k in MANIFEST_COLUMNS if k != "path"}
    for column, parse in (("year", manifest_year), ("level", manifest_level), ("region_code", manifest_region_code)):
        raw = meta.get(column, "")
        try:
            out[column] = parse(raw)
        except ValueError as exc:
            out[column] = None if column == "year" else ""
            warnings_out.append(dict(path=shown, status="warning", doc_id="",
                                     reason=f"manifest {column} {exc}; kept the inferred value"))
    return out


def _merge(meta: dict, inferred: dict, *, source_url: str, domains: str | Path | None = None) -> dict:
    """The row's metadata: each manifest value wins; the rest is inferred (or completed from the gazetteer)."""
    row = {k: inferred[k] for k in ("title", "author", "department", "region", "region_code", "province", "city",
                                    "level", "year", *PROVENANCE_COLUMNS)}
    notes = [n for n in inferred["metadata_note"].split("; ") if n]
    if meta.get("year") is not None:
        notes = [n for n in notes if "year" not in n and "opening says" not in n]
    if any(meta.get(k) for k in _GEO) or meta.get("level"):
        notes = [n for n in notes if not re.search(r"region|ambiguous|table|level|site|county|code", n)]
    for key, source_key in (("title", "title_source"), ("author", "author_source")):
        if meta.get(key):
            row[key], row[source_key] = meta[key], "manifest"
    if meta.get("year") is not None:
        row["year"], row["year_source"] = meta["year"], "manifest"
    if any(meta.get(k) for k in _GEO):
        # The manifest names the government: inferred geography (perhaps of another unit) is not mixed in.
        for key in _GEO:
            row[key] = meta.get(key, "")
        row["region_source"] = "manifest"
        row["level"], row["level_source"] = "", ""
        place = None
        gaz = load_gazetteer()
        if row["region_code"]:
            place = gaz.place(row["region_code"][:6])  # a town's 9-digit code: its county
            if place is not None and len(row["region_code"]) == 9:
                row["province"] = row["province"] or place.province
                row["city"] = row["city"] or place.city
                place = None
            if place is None:
                notes.append(f"manifest region_code {row['region_code']} is not in the region table")
        elif row["region"]:
            chain = [n for n in (row["province"], row["city"], row["region"]) if n]
            chain = list(dict.fromkeys(chain))
            res = resolve_chain(chain, url=source_url, domains=domains)
            place = res.place
            if place is None and res.note:
                notes.append(f"manifest {res.note}")
        if place is not None:
            row["region"] = row["region"] or place.name
            row["region_code"] = row["region_code"] or place.code
            row["province"] = row["province"] or place.province
            row["city"] = row["city"] or (place.city if place.level != "省" else "")
            row["level"], row["level_source"] = place.level, "gazetteer"
        elif inferred["region"] == row["region"] and inferred["level"]:
            row["level"], row["level_source"] = inferred["level"], inferred["level_source"]
        if not meta.get("department") and inferred["level"] == "部门" and inferred["region"] != row["region"]:
            row["department"] = ""
    if meta.get("department"):
        row["department"] = meta["department"]
        row["level"], row["level_source"] = "部门", "manifest"
    if meta.get("level"):
        if row["level_source"] == "gazetteer" and meta["level"] not in (row["level"], "部门", "乡镇", "街道"):
            notes.append(f"manifest level {meta['level']} but {row['region']} is a {row['level']} in the region table")
        row["level"], row["level_source"] = meta["level"], "manifest"
    if row["level"] and not row["level_source"]:
        row["level_source"] = "manifest"
    row["metadata_note"] = "; ".join(n for n in notes if n)
    return row


def load_corpus(
    path: str | Path | Sequence[str | Path],
    *,
    report: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
    progress: bool = False,
    strip: bool = True,
    furniture: str | Path | None = None,
    domains: str | Path | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Load reports into one row per report and account for every file.

    Parameters
    ----------
    path
        A folder (searched recursively; a ``manifest.csv`` inside it supplies metadata for the files it
        lists), a single report file, a manifest CSV (``path`` column required; relative paths resolve
        against the manifest's folder), or a list of any of these.
    report
        When true, return ``(corpus, ingest)``. Otherwise only the corpus is returned, and when a file was
        skipped or a manifest cell could not be read a one-line summary is logged (``logging`` warning).
    max_bytes
        Files larger than this are skipped ("file larger than LIMIT").
    progress
        Show a tqdm progress bar while reading.
    strip
        Remove page furniture (``resources/furniture.txt``) from the head and tail of each text.
    furniture, domains
        Your own furniture pattern file or web-domain → region table (same formats as ``resources/furniture.txt``
        and ``resources/gov_domains.csv``), replacing the bundled ones (also settable with the environment
        variables ``LAWGOV_FURNITURE`` and ``LAWGOV_GOV_DOMAINS``).

    Returns
    -------
    pandas.DataFrame
        One row per loaded report, sorted by ``doc_id``, columns :data:`CORPUS_COLUMNS`:

        ``doc_id`` (manifest id, else the file stem, made unique), ``path`` (relative to the folder or
        manifest given), ``format`` (txt, docx, pdf, html), ``encoding`` (as detected), ``title``, ``author``
        (the government or department as written), ``department`` (its name when the author is a department,
        e.g. 司法局), ``region`` (the government's region, e.g. 昌江区; for a department, its government's),
        ``region_code`` (6-digit code; empty for 乡镇/街道 unless a manifest gives a 9-digit one), ``province``, ``city`` (the prefecture-level
        unit containing the region, itself for a 市), ``level`` (省/市/区/县/乡镇/街道/部门), ``year`` (Int64, the
        year the report is about), ``source`` (the manifest's source, else the page url when known),
        ``chars`` (length of ``text``), ``furniture_chars``/``furniture_lines`` (page furniture removed),
        ``sha256`` (of ``text`` in UTF-8), ``text`` (as decoded, line ends normalised to ``\\n``, furniture
        removed from head and tail), the provenance columns ``title_source, year_source, region_source,
        level_source, author_source`` (manifest, title, opening, filename, url, gazetteer or "") and
        ``metadata_note`` (why a field is empty, conflicts, unreadable manifest cells).

        With ``report=True`` the ingest account comes second — one row per file: ``path``, ``status``
        (loaded | skipped | duplicate | warning), ``reason`` (empty when loaded), ``doc_id``.

    Raises
    ------
    FileNotFoundError
        When nothing to load was found: the path does not exist, or a folder holds no report file.

    Examples
    --------
    >>> corpus = load_corpus("data/reports")                                   # doctest: +SKIP
    >>> corpus[["doc_id", "region", "region_code", "level", "year"]]           # doctest: +SKIP
                doc_id region region_code level  year
    0  changjiang-2021  昌江区      360202    区  2021
    """
    if isinstance(path, pd.DataFrame):
        raise TypeError("load_corpus takes a folder, file, manifest or a list of them, not a table")
    paths = [path] if isinstance(path, (str, Path)) else list(path)
    if not paths:
        raise FileNotFoundError("load_corpus: no path given")
    entries: list[dict] = []  # candidate files with manifest metadata
    ingest: list[dict] = []
    for p in paths:
        _collect(Path(p), entries, ingest)
    if not entries:
        shown = ", ".join(str(p) for p in paths)
        missing = [str(p) for p in paths if not Path(p).exists()]
        if missing and len(missing) == len(paths):
            raise FileNotFoundError(f"load_corpus: {shown} does not exist")
        others = [r["path"] for r in ingest if r["status"] == "skipped"]
        extra = f" ({len(others)} other file(s): {', '.join(others[:3])}{' …' if len(others) > 3 else ''})" \
            if others else ""
        raise FileNotFoundError(f"load_corpus: no report files (.txt, .docx, .pdf, .html) in {shown}{extra}")

    used: set[str] = set()
    seen_hash: dict[str, str] = {}
    rows: list[dict] = []
    iterator: Iterable[dict] = entries
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(entries, desc="loading reports", unit="file")
    for entry in iterator:
        file, shown = entry["file"], entry["shown"]
        try:
            loaded = _read_loaded(file, max_bytes)
        except IngestError as exc:
            ingest.append(dict(path=shown, status="skipped", reason=str(exc), doc_id=""))
            log.info("skipped %s: %s", shown, exc)
            continue
        except OSError as exc:
            ingest.append(dict(path=shown, status="skipped", reason=f"cannot read file ({exc.strerror})",
                               doc_id=""))
            continue
        raw = loaded.text
        text, furniture_chars, furniture_lines = strip_furniture(raw, furniture=furniture) if strip else (raw, 0, 0)
        digest = _sha256(text)
        if digest in seen_hash:
            ingest.append(dict(path=shown, status="duplicate", reason=f"same content as {seen_hash[digest]}",
                               doc_id=""))
            continue
        problems: list[dict] = []
        meta = _clean_manifest(entry["meta"], shown, problems) if entry["meta"] else {}
        doc_id = _unique_id(meta.get("doc_id") or file.stem, used)
        seen_hash[digest] = doc_id
        source = meta.get("source", "") or loaded.url
        source_url = source if re.match(r"^(?:https?://|www\.)", source) else loaded.url
        inferred = infer_metadata(raw, filename=file.name, title_hint=loaded.title_hint, url=source_url,
                                  furniture=furniture, domains=domains)
        merged = _merge(meta, inferred, source_url=source_url, domains=domains)
        for problem in problems:
            problem["doc_id"] = doc_id
            merged["metadata_note"] = "; ".join(x for x in (merged["metadata_note"], problem["reason"]) if x)
            log.warning("%s: %s", shown, problem["reason"])
        rows.append(dict(doc_id=doc_id, path=shown, format=loaded.format, encoding=loaded.encoding,
                         source=source, chars=len(text), furniture_chars=furniture_chars,
                         furniture_lines=furniture_lines, sha256=digest, text=text, **merged))
        ingest.append(dict(path=shown, status="loaded", reason="", doc_id=doc_id))
        ingest.extend(problems)

    corpus = pd.DataFrame(rows, columns=CORPUS_COLUMNS)
    corpus["year"] = pd.array([None if pd.isna(y) or y == "" else int(y) for y in corpus["year"]], dtype="Int64")
    for col in ("chars", "furniture_chars", "furniture_lines"):
        corpus[col] = corpus[col].astype("int64")
    corpus = corpus.sort_values("doc_id", kind="stable").reset_index(drop=True)
    account = pd.DataFrame(ingest, columns=INGEST_COLUMNS)
    order = {"loaded": 0, "warning": 1, "duplicate": 2, "skipped": 3}
    account = account.sort_values(["path", "status"], key=lambda s: s.map(order) if s.name == "status" else s,
                                  kind="stable").reset_index(drop=True)
    if report:
        return corpus, account
    problems = account[(account["status"] != "loaded") & ~_is_manifest_row(account)]
    if len(problems):
        log.warning("load_corpus: %s; load_corpus(..., report=True) returns the account", summarize_ingest(account))
    return corpus


def _collect(path: Path, entries: list[dict], ingest: list[dict]) -> None:
    """Append the files under ``path`` to ``entries`` (with manifest metadata) or to ``ingest`` if rejected."""
    if not path.exists():
        ingest.append(dict(path=str(path), status="skipped", reason="path does not exist", doc_id=""))
        return
    if path.is_file() and _is_manifest(path):
        _collect_manifest(path, path.parent, entries, ingest, shown_root=path.parent)
        return
    if path.is_file():
        entries.append(dict(file=path, shown=path.name, meta={}))
        return
    root = path
    manifest_file = root / "manifest.csv"
    listed: set[Path] = set()
    if manifest_file.is_file():
        listed = _collect_manifest(manifest_file, root, entries, ingest, shown_root=root)
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = file.relative_to(root).as_posix()
        if any(part.startswith(".") for part in file.relative_to(root).parts):
            ingest.append(dict(path=rel, status="skipped", reason="hidden file", doc_id=""))
            continue
        if file == manifest_file:
            continue
        if file.resolve() in listed:
            continue
        if file.suffix.lower() == ".csv" and _is_manifest(file):
            ingest.append(dict(path=rel, status="skipped", reason="manifest (only manifest.csv at the top of "
                                                                   "the folder is read)", doc_id=""))
            continue
        if file.name in _COMPANION_FILES:
            ingest.append(dict(path=rel, status="skipped", doc_id="", reason=_COMPANION_FILES[file.name]))
            continue
        if file.suffix.lower() not in REPORT_FORMATS:
            ingest.append(dict(path=rel, status="skipped", doc_id="", reason=_KNOWN_OTHER.get(
                file.suffix.lower(), f"not a report format ({file.suffix.lower() or 'no extension'})")))
            continue
        entries.append(dict(file=file, shown=rel, meta={}))


def _collect_manifest(manifest_file: Path, root: Path, entries: list[dict], ingest: list[dict], *,
                      shown_root: Path) -> set[Path]:
    manifest = _read_manifest(manifest_file)
    ingest.append(dict(path=manifest_file.relative_to(shown_root).as_posix(), status="skipped",
                       reason=f"manifest, not a report (metadata for {len(manifest)} listed file(s))", doc_id=""))
    root_resolved = root.resolve()
    listed: set[Path] = set()
    for row in manifest.to_dict("records"):
        raw = row.get("path", "").strip()
        if not raw:
            ingest.append(dict(path=f"{manifest_file.name} row for {row.get('doc_id', '?')}", status="skipped",
                               reason="manifest row has no path", doc_id=""))
            continue
        file = (root / raw)
        resolved = file.resolve()
        if not resolved.is_relative_to(root_resolved):
            ingest.append(dict(path=raw, status="skipped", reason="outside the corpus folder", doc_id=""))
            continue
        if not resolved.is_file():
            ingest.append(dict(path=raw, status="skipped", reason="listed in manifest but file not found",
                               doc_id=""))
            continue
        listed.add(resolved)
        meta = {k: row.get(k, "") for k in MANIFEST_COLUMNS if k != "path"}
        meta["_manifest_row"] = "present"
        entries.append(dict(file=file, shown=resolved.relative_to(root_resolved).as_posix(), meta=meta))
    return listed


def join_metadata(table: pd.DataFrame, corpus: pd.DataFrame, columns: str | Sequence[str]) -> pd.DataFrame:
    """Add report columns (``year``, ``region``, ``level`` …) to any table with ``doc_id``.

    Returns a copy of ``table`` with the requested ``corpus`` columns looked up by ``doc_id`` (rows and their
    order unchanged; a ``doc_id`` missing from the corpus gets a missing value).
    """
    from ..core.validate import check_columns

    cols = [columns] if isinstance(columns, str) else list(columns)
    check_columns(table, ["doc_id"], what="table")
    check_columns(corpus, ["doc_id", *cols], what="corpus")
    meta = corpus.drop_duplicates("doc_id").set_index("doc_id")
    out = table.copy()
    for col in cols:
        out[col] = out["doc_id"].map(meta[col])
    return out


def _is_manifest_row(ingest: pd.DataFrame) -> pd.Series:
    return ingest["reason"].str.startswith("manifest, not a report")


def _missing_metadata(corpus: pd.DataFrame) -> dict[str, int]:
    """How many reports lack ``year``, ``region`` and ``level`` (and how many there are): a dict of counts.

    (``lawgov_analysis.present.summary.metadata_completeness`` gives the same per field as a table.)"""
    from ..core.validate import check_columns

    check_columns(corpus, ["doc_id", "year", "region", "level"], what="corpus")
    return {"reports": len(corpus), "no_year": int(corpus["year"].isna().sum()),
            "no_region": int((corpus["region"].fillna("") == "").sum()),
            "no_level": int((corpus["level"].fillna("") == "").sum())}


def summarize_ingest(ingest: pd.DataFrame, corpus: pd.DataFrame | None = None) -> str:
    """One line: ``N report file(s): L loaded, S skipped, D duplicate`` (a manifest read for metadata is named
    apart, unreadable manifest cells are counted); with ``corpus``, also how many reports lack year, region or
    level and how to fix that (``lawgov-analysis manifest``)."""
    is_manifest = _is_manifest_row(ingest)
    is_warning = ingest["status"] == "warning"
    files = ingest[~is_manifest & ~is_warning]
    counts = files["status"].value_counts()
    line = (f"{len(files)} report file(s): {int(counts.get('loaded', 0))} loaded, "
            f"{int(counts.get('skipped', 0))} skipped, {int(counts.get('duplicate', 0))} duplicate")
    if is_manifest.any():
        line += f"; metadata from {int(is_manifest.sum())} manifest(s)"
    if is_warning.any():
        line += f"; {int(is_warning.sum())} manifest value(s) could not be read (kept the inferred values)"
    if corpus is not None and len(corpus):
        c = _missing_metadata(corpus)
        gaps = [f"{c[k]} lack {k[3:]}" for k in ("no_year", "no_region", "no_level") if c[k]]
        if gaps:
            line += (f"; metadata: {', '.join(gaps)} of {c['reports']} — fill them in a manifest "
                     "(`lawgov-analysis manifest PATH` writes one pre-filled to correct)")
        else:
            line += f"; metadata: year, region and level known for all {c['reports']}"
    return line


def build_manifest(path: str | Path | Sequence[str | Path], *, out: str | Path | None = None) -> pd.DataFrame:
    """A pre-filled manifest for the reports under ``path``: :data:`MANIFEST_OUT_COLUMNS`, one row per report.

    Values are those :func:`load_corpus` gives (an existing ``manifest.csv`` wins, the rest is inferred), with
    their provenance and notes, so a researcher can check and correct them. ``path`` values are relative to the
    folder of ``out`` (default: the corpus folder), where the manifest must live to be read back.
    """
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
    return table[MANIFEST_OUT_COLUMNS].reset_index(drop=True)


def write_manifest(path: str | Path | Sequence[str | Path], out: str | Path | None = None, *,
                   overwrite: bool = False) -> tuple[Path, pd.DataFrame]:
    """Write :func:`build_manifest` to ``out`` (default ``PATH/manifest.csv`` for a folder) as UTF-8 CSV.

    Refuses to replace an existing file unless ``overwrite`` (the existing manifest's values are kept in the
    new one anyway, since :func:`load_corpus` reads it first). Returns ``(written path, manifest)``.
    """
    first = Path(path if isinstance(path, (str, Path)) else list(path)[0])
    target = Path(out) if out else (first / "manifest.csv" if first.is_dir() else first.parent / "manifest.csv")
    if target.exists() and not overwrite:
        raise FileExistsError(f"{target} exists; pass --out another.csv (or --force to replace it)")
    manifest = build_manifest(path, out=target)
    target.parent.mkdir(parents=True, exist_ok=True)
    manifest.to_csv(target, index=False, encoding="utf-8")
    return target, manifest
