"""Load reports from files, folders or a manifest into one tidy table, and account for every file.

The loader reads ``.txt`` (any encoding Chinese government sites use), ``.docx``, ``.pdf`` with a text layer
and ``.html``/``.htm`` (:mod:`lawgov_analysis.io.readers`, each within bounds on size, expansion and text),
with metadata from a manifest (:mod:`lawgov_analysis.io.manifest`) or inferred from the text
(:mod:`lawgov_analysis.io.metadata`). One bad file or manifest cell never stops the rest: each file gets a row
in the ingest account (``loaded``, ``skipped`` or ``duplicate``) with a specific reason, and each unusable
manifest value a ``warning`` row.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from ..core.config import MAX_FILE_BYTES
from .gazetteer import load_gazetteer, resolve_chain
from .manifest import (  # noqa: F401  (re-exported: the loader's public names stay importable from here)
    MANIFEST_COLUMNS,
    MANIFEST_DATE_COLUMNS,
    MANIFEST_NAMES,
    MANIFEST_OUT_COLUMNS,
    PROVENANCE_COLUMNS,
    build_manifest,
    is_manifest,
    manifest_entries,
    manifest_level,
    manifest_region_code,
    manifest_year,
    read_manifest,
    save_manifest,
    write_manifest,
)
from .metadata import infer_metadata, parse_region, strip_furniture  # noqa: F401
from .metadata_check import metadata_confidence
from .readers import (  # noqa: F401
    KNOWN_OTHER,
    MAX_EXPANDED_BYTES,
    MAX_TEXT_CHARS,
    REPORT_FORMATS,
    IngestError,
    ReadLimits,
    decode_bytes,
    decode_html,
    normalize_newlines,
    read_file,
    read_report,
)
from .timeliness import publication_timeliness

log = logging.getLogger(__name__)

#: Columns of the report table, in order (see docs/CONTRACT.md).
CORPUS_COLUMNS = [
    "doc_id", "path", "format", "encoding", "title", "author", "department", "region", "region_code", "province",
    "city", "level", "year", "source", "published", "publication_deadline", "days_after_deadline", "chars",
    "furniture_chars", "furniture_lines", "sha256", "text",
    "title_source", "year_source", "region_source", "level_source", "author_source", "metadata_note",
    "metadata_confidence",
]
#: Columns of the ingest account, in order.
INGEST_COLUMNS = ["path", "status", "reason", "doc_id"]
#: Files other commands write beside the reports: skipped with what they are, not as an unknown format.
COMPANION_FILES = {
    "fetch-account.csv": "fetch account (what lawgov-analysis fetch did with each URL; not a report)",
}
_GEO = ("region", "region_code", "province", "city")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _unique_id(base: str, used: set[str]) -> str:
    doc_id, n = base, 2
    while doc_id in used:
        doc_id, n = f"{base}-{n}", n + 1
    used.add(doc_id)
    return doc_id


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
    row["metadata_confidence"] = metadata_confidence(row)
    return row


def load_corpus(
    path: str | Path | Sequence[str | Path],
    *,
    report: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
    max_expanded_bytes: int = MAX_EXPANDED_BYTES,
    max_chars: int = MAX_TEXT_CHARS,
    progress: bool = False,
    strip: bool = True,
    furniture: str | Path | None = None,
    domains: str | Path | None = None,
    n_jobs: int = 1,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Load reports into one row per report and account for every file.

    Parameters
    ----------
    path
        A folder (searched recursively; a ``manifest.csv`` or ``manifest.xlsx`` at its top supplies metadata
        for the files it lists), a single report file, a manifest (``.csv`` in UTF-8 with or without BOM,
        GBK/GB18030 or UTF-16, or ``.xlsx``; ``path`` column required; relative paths resolve against the
        manifest's folder), or a list of any of these.
    report
        When true, return ``(corpus, ingest)``. Otherwise only the corpus is returned, and when a file was
        skipped or a manifest cell could not be used a one-line summary is logged (``logging`` warning).
    max_bytes
        Files larger than this on disk are skipped ("file larger than LIMIT"); default 50 MB.
    max_expanded_bytes
        Most bytes a compressed file may expand to: the sizes a ``.docx``/``.xlsx`` declares for its members
        (checked before anything is inflated, then enforced while reading), a PDF stream; default
        :data:`~lawgov_analysis.io.readers.MAX_EXPANDED_BYTES` (100 MB). Over it: skipped ("… expands past …").
    max_chars
        Longest text loaded, in characters, checked while a file is read; default
        :data:`~lawgov_analysis.io.readers.MAX_TEXT_CHARS` (5,000,000; the longest real report is a few hundred
        thousand). Over it: skipped ("text longer than …"), in seconds and bounded memory.
    progress
        Show a tqdm progress bar while reading.
    strip
        Remove page furniture (``resources/furniture.txt``) from the head and tail of each text.
    furniture, domains
        Your own furniture pattern file or web-domain → region table (same formats as ``resources/furniture.txt``
        and ``resources/gov_domains.csv``), replacing the bundled ones (also settable with the environment
        variables ``LAWGOV_FURNITURE`` and ``LAWGOV_GOV_DOMAINS``).
    n_jobs
        Processes that read and decode the files (each file's text, furniture and inferred metadata); the
        result is the same for any value. 1: in this process.

    Returns
    -------
    pandas.DataFrame
        One row per loaded report, sorted by ``doc_id``, columns :data:`CORPUS_COLUMNS`:

        ``doc_id`` (manifest id, else the file stem, made unique), ``path`` (relative to the folder or
        manifest given), ``format`` (txt, docx, pdf, html), ``encoding`` (as detected), ``title``, ``author``
        (the government or department as written), ``department`` (its name when the author is a department,
        e.g. 司法局), ``region`` (the government's region, e.g. 昌江区; for a department, its government's),
        ``region_code`` (6-digit code; empty for 乡镇/街道 unless a manifest gives a 9-digit one), ``province``,
        ``city`` (the prefecture-level unit containing the region, itself for a 市), ``level``
        (省/市/区/县/乡镇/街道/部门), ``year`` (Int64, the year the report is about), ``source`` (the manifest's
        source, else the page url when known), ``published`` (datetime64, the manifest's publication date, ``NaT``
        when it has none), ``publication_deadline`` (datetime64, 31 March of ``year + 1``) and
        ``days_after_deadline`` (Int64, negative = early; :func:`~lawgov_analysis.io.timeliness.publication_timeliness`),
        ``chars`` (length of ``text``), ``furniture_chars``/
        ``furniture_lines`` (page furniture removed), ``sha256`` (of ``text`` in UTF-8), ``text`` (as decoded,
        line ends normalised to ``\\n``, furniture removed from head and tail), the provenance columns
        ``title_source, year_source, region_source, level_source, author_source`` (manifest, title, opening,
        filename, url, gazetteer or "") and ``metadata_note`` (why a field is empty, conflicts, unreadable
        manifest cells), ``metadata_confidence`` (high, medium or low: :mod:`.metadata_check`).

        With ``report=True`` the ingest account comes second — one row per file: ``path``, ``status``
        (loaded | skipped | duplicate | warning), ``reason`` (empty when loaded), ``doc_id``. Every file under a
        folder has a row; a manifest has its own row (skipped: "manifest, not a report …"), and each manifest
        value that cannot be used a ``warning`` row naming the manifest row, the column and the value (on the
        report's path when the report loads with its inferred value instead, else on the manifest's path).

    Raises
    ------
    FileNotFoundError
        When nothing to load was found: the path does not exist, or a folder holds no report file.
    ValueError
        When a manifest as a whole cannot be read (undecodable, not a workbook, no ``path`` column, larger
        than ``max_bytes``), or an option is out of range.
    TypeError
        When ``path`` is a table rather than a folder, file or manifest.

    These are the only exceptions raised, each with a one-line message naming the path; everything that goes
    wrong with one file or one manifest cell is a row of the ingest account instead.

    Examples
    --------
    >>> corpus = load_corpus("data/reports")                                   # doctest: +SKIP
    >>> corpus[["doc_id", "region", "region_code", "level", "year"]]           # doctest: +SKIP
                doc_id region region_code level  year
    0  changjiang-2021  昌江区      360202    区  2021
    """
    if isinstance(path, pd.DataFrame):
        raise TypeError("load_corpus takes a folder, file, manifest or a list of them, not a table")
    limits = ReadLimits(max_bytes=max_bytes, max_expanded_bytes=max_expanded_bytes, max_chars=max_chars)
    paths = [path] if isinstance(path, (str, Path)) else list(path)
    if not paths:
        raise FileNotFoundError("load_corpus: no path given")
    entries: list[dict] = []  # candidate files with manifest metadata
    ingest: list[dict] = []
    for p in paths:
        _collect(Path(p), entries, ingest, limits)
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
    id_rows: dict[str, int] = {}
    seen_hash: dict[str, str] = {}
    rows: list[dict] = []
    work = [(e["file"], e["meta"]) for e in entries]
    options = dict(limits=limits, strip=strip, furniture=furniture, domains=domains)
    pool = None
    if n_jobs > 1 and len(work) > 1:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if "fork" in mp.get_all_start_methods() else None
        pool = ProcessPoolExecutor(min(n_jobs, len(work)), mp_context=mp.get_context(method))
        results: Iterable = pool.map(_decode_star, ((f, m, options) for f, m in work),
                                     chunksize=max(1, min(64, len(work) // (8 * n_jobs))))
    else:
        results = (_decode(f, m, **options) for f, m in work)
    iterator: Iterable = zip(entries, results)
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(iterator, total=len(entries), desc="loading reports", unit="file")
    try:
        _account(iterator, rows, ingest, used, id_rows, seen_hash, domains)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    corpus = _corpus_frame(rows)
    corpus["year"] = pd.array([None if pd.isna(y) or y == "" else int(y) for y in corpus["year"]], dtype="Int64")
    for col in ("chars", "furniture_chars", "furniture_lines"):
        corpus[col] = corpus[col].astype("int64")
    corpus = publication_timeliness(corpus)  # published (datetime), publication_deadline, days_after_deadline
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


def _corpus_frame(rows: list[dict]) -> pd.DataFrame:
    """``pd.DataFrame(rows, columns=CORPUS_COLUMNS)``, its text column made by Arrow in one pass where pandas
    keeps strings in Arrow (pandas' own conversion of 10,000 texts took a second of the loading, after every
    file was read)."""
    dtype = pd.Series(["x"]).dtype
    if not rows or not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return pd.DataFrame(rows, columns=CORPUS_COLUMNS)
    import pyarrow as pa

    texts = [r["text"] for r in rows]
    try:
        column = pd.arrays.ArrowStringArray(pa.chunked_array([pa.array(texts, type=pa.large_string())]),
                                            dtype=dtype)
    except (pa.ArrowException, UnicodeError, TypeError):  # what Arrow refuses, pandas converts its own way
        return pd.DataFrame(rows, columns=CORPUS_COLUMNS)
    others = [c for c in CORPUS_COLUMNS if c != "text"]
    corpus = pd.DataFrame([{k: v for k, v in r.items() if k != "text"} for r in rows], columns=others)
    corpus.insert(CORPUS_COLUMNS.index("text"), "text", column)
    return corpus


def _decode(file: Path, meta: dict, *, limits: ReadLimits, strip: bool, furniture, domains) -> tuple:
    """What one file gives, independently of every other file (run in a worker process when ``n_jobs > 1``):
    ``(None, reason)`` or ``(loaded, (text, furniture_chars, furniture_lines, digest, source, source_url,
    inferred))``."""
    loaded, reason = _read_one(file, limits)
    if loaded is None:
        return None, reason
    raw = loaded.text
    text, furniture_chars, furniture_lines = strip_furniture(raw, furniture=furniture) if strip else (raw, 0, 0)
    source = meta.get("source", "") or loaded.url
    source_url = source if re.match(r"^(?:https?://|www\.)", source) else loaded.url
    inferred = infer_metadata(raw, filename=file.name, title_hint=loaded.title_hint, url=source_url,
                              furniture=furniture, domains=domains)
    loaded.text = ""   # the stripped text travels once
    return loaded, (text, furniture_chars, furniture_lines, _sha256(text), source, source_url, inferred)


def _decode_star(args: tuple) -> tuple:
    file, meta, options = args
    return _decode(file, meta, **options)


def _account(iterator: Iterable, rows: list[dict], ingest: list[dict], used: set[str], id_rows: dict[str, int],
             seen_hash: dict[str, str], domains) -> None:
    """Every file in order: duplicates, unique ``doc_id`` and the ingest account (after :func:`_decode`)."""
    for entry, (loaded, decoded) in iterator:
        file, shown, meta = entry["file"], entry["shown"], entry["meta"]
        problems = list(entry.get("problems", []))
        if loaded is None:
            reason = decoded
            ingest.append(dict(path=shown, status="skipped", reason=reason, doc_id=""))
            ingest.extend(dict(path=shown, status="warning", reason=p, doc_id="") for p in problems)
            log.info("skipped %s: %s", shown, reason)
            continue
        text, furniture_chars, furniture_lines, digest, source, source_url, inferred = decoded
        if digest in seen_hash:
            ingest.append(dict(path=shown, status="duplicate", reason=f"same content as {seen_hash[digest]}",
                               doc_id=""))
            continue
        wanted = meta.get("doc_id") or file.stem
        doc_id = _unique_id(wanted, used)
        if meta.get("doc_id") and doc_id != wanted:
            first = id_rows.get(wanted)
            problems.append(f"manifest row {meta['_row']}, doc_id {wanted!r} already used"
                            + (f" by row {first}" if first else "") + f"; this report is {doc_id!r}")
        if meta.get("doc_id"):
            id_rows.setdefault(wanted, meta["_row"])
        seen_hash[digest] = doc_id
        merged = _merge(meta, inferred, source_url=source_url, domains=domains)
        for problem in problems:
            merged["metadata_note"] = "; ".join(x for x in (merged["metadata_note"], problem) if x)
            log.warning("%s: %s", shown, problem)
        rows.append(dict(doc_id=doc_id, path=shown, format=loaded.format, encoding=loaded.encoding,
                         source=source, published=meta.get("published", ""), chars=len(text),
                         furniture_chars=furniture_chars,
                         furniture_lines=furniture_lines, sha256=digest, text=text, **merged))
        ingest.append(dict(path=shown, status="loaded", reason="", doc_id=doc_id))
        ingest.extend(dict(path=shown, status="warning", reason=p, doc_id=doc_id) for p in problems)


def _read_one(file: Path, limits: ReadLimits):
    """``(Extracted, "")`` or ``(None, reason)``: no error from one file reaches the caller; the reason is one
    line (a parser's message may span several)."""
    try:
        return read_file(file, limits=limits), ""
    except IngestError as exc:
        reason = str(exc)
    except OSError as exc:
        reason = f"cannot read file ({exc.strerror or type(exc).__name__})"
    except Exception as exc:  # a reader library failing on a hostile file must not stop the corpus
        log.debug("reading %s failed", file, exc_info=True)
        reason = f"cannot read file ({type(exc).__name__}: {str(exc)[:200]})"
    return None, " ".join(reason.split())


def _collect(path: Path, entries: list[dict], ingest: list[dict], limits: ReadLimits) -> None:
    """Append the files under ``path`` to ``entries`` (with manifest metadata) or to ``ingest`` if rejected."""
    try:
        exists, is_file = path.exists(), path.is_file()
    except (OSError, ValueError) as exc:
        ingest.append(dict(path=str(path), status="skipped", reason=f"cannot be used as a path ({exc})",
                           doc_id=""))
        return
    if not exists:
        ingest.append(dict(path=str(path), status="skipped", reason="path does not exist", doc_id=""))
        return
    if is_file and (is_manifest(path) or path.suffix.lower() == ".xlsx"):  # a workbook given is a manifest
        found, account = manifest_entries(path, path.parent, shown_root=path.parent, limits=limits)
        entries.extend(found)
        ingest.extend(account)
        return
    if is_file:
        entries.append(dict(file=path, shown=path.name, meta={}))
        return
    root = path
    manifests = [root / name for name in MANIFEST_NAMES if (root / name).is_file()]
    listed: set[Path] = set()
    if manifests:
        found, account = manifest_entries(manifests[0], root, shown_root=root, limits=limits)
        entries.extend(found)
        ingest.extend(account)
        listed = {e["file"] for e in found}
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = file.relative_to(root).as_posix()
        if (manifests and file == manifests[0]) or (listed and file.resolve() in listed):
            continue
        if any(part.startswith(".") for part in rel.split("/")):
            ingest.append(dict(path=rel, status="skipped", reason="hidden file", doc_id=""))
            continue
        suffix = file.suffix.lower()
        if file.name in COMPANION_FILES:
            ingest.append(dict(path=rel, status="skipped", doc_id="", reason=COMPANION_FILES[file.name]))
            continue
        if suffix in (".csv", ".xlsx") and is_manifest(file):
            names = " or ".join(MANIFEST_NAMES)
            reason = (f"manifest ({manifests[0].name} is read; only one manifest per folder)"
                      if manifests and file.parent == root else f"manifest (only {names} at the top of the folder "
                                                                "is read)")
            ingest.append(dict(path=rel, status="skipped", reason=reason, doc_id=""))
            continue
        if suffix not in REPORT_FORMATS:
            ingest.append(dict(path=rel, status="skipped", doc_id="", reason=KNOWN_OTHER.get(
                suffix, f"not a report format ({suffix or 'no extension'})")))
            continue
        entries.append(dict(file=file, shown=rel, meta={}))


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
    apart, unusable manifest values are counted); with ``corpus``, also how many reports lack year, region or
    level and how to fix that (``lawgov-analysis manifest``)."""
    is_manifest_row = _is_manifest_row(ingest)
    is_warning = ingest["status"] == "warning"
    files = ingest[~is_manifest_row & ~is_warning]
    counts = files["status"].value_counts()
    line = (f"{len(files)} report file(s): {int(counts.get('loaded', 0))} loaded, "
            f"{int(counts.get('skipped', 0))} skipped, {int(counts.get('duplicate', 0))} duplicate")
    if is_manifest_row.any():
        line += f"; metadata from {int(is_manifest_row.sum())} manifest(s)"
    if is_warning.any():
        line += f"; {int(is_warning.sum())} manifest value(s) could not be read (see the warning rows)"
    if corpus is not None and len(corpus):
        c = _missing_metadata(corpus)
        gaps = [f"{c[k]} lack {k[3:]}" for k in ("no_year", "no_region", "no_level") if c[k]]
        if gaps:
            line += (f"; metadata: {', '.join(gaps)} of {c['reports']} — fill them in a manifest "
                     "(`lawgov-analysis manifest PATH` writes one pre-filled to correct)")
        else:
            line += f"; metadata: year, region and level known for all {c['reports']}"
    return line
