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
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..config import MAX_FILE_BYTES

log = logging.getLogger(__name__)

#: Columns of the report table, in order.
CORPUS_COLUMNS = [
    "doc_id", "path", "format", "encoding", "title", "region", "parent_region", "province", "level",
    "year", "chars", "sha256", "text",
]
#: Columns of the ingest account, in order.
INGEST_COLUMNS = ["path", "status", "reason", "doc_id"]
#: Columns a manifest CSV may have (``path`` is required, the rest are optional).
MANIFEST_COLUMNS = ["doc_id", "path", "title", "region", "parent_region", "province", "level", "year", "source"]

REPORT_FORMATS = {".txt": "txt", ".text": "txt", ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html"}
_KNOWN_OTHER = {
    ".doc": "not a report format (.doc: legacy Word, save it as .docx)",
    ".wps": "not a report format (.wps: save it as .docx)",
    ".rtf": "not a report format (.rtf: save it as .docx or .txt)",
}
LEVELS = ("省", "市", "区", "县", "镇", "乡", "街道", "部门")

PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省",
    "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区", "西藏自治区",
    "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区",
)


class IngestError(Exception):
    """A file cannot be loaded; the message is the reason shown in the ingest account."""


@dataclass
class _Loaded:
    text: str
    format: str
    encoding: str
    title_hint: str = ""


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
    html, encoding = _decode_html(data)
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - trafilatura is a dependency
        raise IngestError(f"cannot read HTML ({exc})") from None
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True,
                               deduplicate=False, output_format="txt")
    if not text or not text.strip():
        raise IngestError("no main text found in HTML page")
    title = ""
    meta = trafilatura.extract_metadata(html)
    if meta is not None and meta.title:
        title = meta.title.strip()
    return _Loaded(text, "html", encoding, title_hint=title)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def _decode_html(data: bytes) -> tuple[str, str]:
    match = _META_CHARSET.search(data[:4096])
    if match:
        declared = match.group(1).decode("ascii", "ignore").lower()
        if declared in ("gb2312", "gbk"):
            declared = "gb18030"  # pages declaring GB2312 routinely contain GBK characters
        try:
            return data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data)


_READERS = {"txt": _read_txt, "docx": _read_docx, "pdf": _read_pdf, "html": _read_html}


def read_report(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> tuple[str, str, str, str]:
    """Read one report file and return ``(text, format, encoding, title_hint)``.

    ``text`` keeps the characters as decoded, with line endings normalised to ``\\n``. Raises
    :class:`IngestError` whose message is the reason the file cannot be loaded.
    """
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
    return text, loaded.format, loaded.encoding, loaded.title_hint


def _human_bytes(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}".replace(".0 ", " ")
        n /= 1024
    return f"{n} bytes"  # pragma: no cover


# ---------------------------------------------------------------------------------------------------------
# Metadata


_TITLE_WORDS = re.compile(r"(报告|情况|总结|工作要点|法治政府建设)")
_YEAR_IN_TITLE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_OPENING = re.compile(r"^\s*((?:19|20)\d{2})\s*年(?:度)?\s*[，,、]?\s*(?:全|我|本)(省|市|区|县|镇|乡|街道|局|委|办|厅)")
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_HAN = r"[\u4e00-\u9fff]"
_SUFFIX = "[省市区县州盟旗镇乡]"  # a unit never starts with an administrative suffix (杭州|市西湖区 is wrong)
# An administrative chain written before the year in a title: [province][prefecture][county][township].
_CHAIN = re.compile(
    rf"(?P<prov>{_HAN}{{2,6}}?(?:省|自治区|特别行政区))?"
    rf"(?P<pref>(?!{_SUFFIX}){_HAN}{{1,7}}?(?:自治州|地区|市|州|盟))?"
    rf"(?P<county>(?!{_SUFFIX}){_HAN}{{1,7}}?(?:自治县|自治旗|新区|区|县|旗|市))?"
    rf"(?P<town>(?!{_SUFFIX}){_HAN}{{1,7}}?(?:街道|镇|乡))?"
)
_ISSUER_TAIL = re.compile(r"(?:人民政府|政府|党委|[省市区县]委)$")
_DEPT_TAIL = re.compile(rf"{_HAN}{{1,12}}(?:局|委员会|办公室|厅|委|院|署|中心|办)$")


def parse_region(head: str) -> dict:
    """Split a title's issuer (text before the year) into region fields.

    ``"江西省景德镇市昌江区"`` → region 昌江区, parent_region 景德镇市, province 江西省, level 区;
    ``"景德镇市司法局"`` → region 景德镇市, level 部门. Unparseable heads give empty fields.
    """
    head = re.sub(r"关于$", "", head.strip()).split()[-1] if head.strip() else ""
    head = re.sub(r"^(?:关于|中共)+", "", head)
    head = _ISSUER_TAIL.sub("", head)
    empty = {"region": "", "parent_region": "", "province": "", "level": ""}
    for cut in range(len(head), 1, -1):
        m = _CHAIN.fullmatch(head[:cut])
        if not m or not any(m.groupdict().values()):
            continue
        rest = head[cut:]
        if rest and not _DEPT_TAIL.fullmatch(rest):
            continue
        units = [m.group(k) for k in ("prov", "pref", "county", "town") if m.group(k)]
        region = units[-1]
        return {
            "region": region,
            "parent_region": units[-2] if len(units) > 1 else "",
            "province": m.group("prov") or next((p for p in PROVINCES if region == p), ""),
            "level": "部门" if rest else _level_of_region(region),
        }
    return empty


_OPENING_LEVEL = {"省": "省", "市": "市", "区": "区", "县": "县", "镇": "镇", "乡": "乡", "街道": "街道",
                  "局": "部门", "委": "部门", "办": "部门", "厅": "部门"}


def _level_of_region(region: str) -> str:
    if region.endswith(("自治区", "特别行政区", "省")):
        return "省"
    if region.endswith("街道"):
        return "街道"
    for suffix, level in (("自治县", "县"), ("自治旗", "县"), ("旗", "县"), ("县", "县"), ("新区", "区"),
                          ("区", "区"), ("自治州", "市"), ("州", "市"), ("盟", "市"), ("市", "市"),
                          ("镇", "镇"), ("乡", "乡")):
        if region.endswith(suffix):
            return level
    return ""


def _title_line(text: str) -> str:
    """The first non-blank line when it looks like a report title (short, no full stop, a title word)."""
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if len(line) <= 80 and "。" not in line and _TITLE_WORDS.search(line):
            return line
        return ""
    return ""


def infer_metadata(text: str, *, filename: str = "", title_hint: str = "") -> dict:
    """Infer ``title, region, parent_region, province, level, year`` from the title line, opening sentence and file name.

    A field that cannot be read off the text is left empty (``""`` or ``None`` for ``year``) rather than
    guessed. Returns a dict with those five keys.
    """
    title = _title_line(text)
    if not title and title_hint and _TITLE_WORDS.search(title_hint):
        title = title_hint
    stem = Path(filename).stem
    if not title and re.search(r"[\u4e00-\u9fff]", stem) and _TITLE_WORDS.search(stem):
        title = stem
    year = None
    region = level = province = parent = ""
    if title:
        m = _YEAR_IN_TITLE.search(title)
        if m:
            year = int(m.group(1))
        head = title.split(m.group(0))[0] if m else title
        parsed = parse_region(head)
        region, level, province, parent = (parsed["region"], parsed["level"], parsed["province"],
                                           parsed["parent_region"])
    opening = _OPENING.search(text[:400] if not title else text.split("\n", 2)[-1][:400])
    if opening is None:
        opening = _OPENING.search(text[:400])
    if opening:
        if year is None:
            year = int(opening.group(1))
        if not level:
            level = _OPENING_LEVEL.get(opening.group(2), "")
    if year is None:
        m = _YEAR_IN_NAME.search(stem)
        if m:
            year = int(m.group(1))
    return {"title": title, "region": region, "parent_region": parent, "province": province, "level": level,
            "year": year}


# ---------------------------------------------------------------------------------------------------------
# Corpus


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_manifest(path: Path) -> pd.DataFrame:
    manifest = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    manifest.columns = [c.strip() for c in manifest.columns]
    if "path" not in manifest.columns:
        raise ValueError(f"{path}: a manifest needs a 'path' column; it has {', '.join(manifest.columns)}")
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


def load_corpus(
    path: str | Path | Sequence[str | Path],
    *,
    report: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
    progress: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Load reports into one row per report and account for every file.

    Parameters
    ----------
    path
        A folder (searched recursively; a ``manifest.csv`` inside it supplies metadata for the files it
        lists), a single report file, a manifest CSV (``path`` column required; relative paths resolve
        against the manifest's folder), or a list of any of these.
    report
        When true, return ``(corpus, ingest)`` instead of only the corpus.
    max_bytes
        Files larger than this are skipped ("file larger than LIMIT").
    progress
        Show a tqdm progress bar while reading.

    Returns
    -------
    pandas.DataFrame
        One row per loaded report, sorted by ``doc_id``, columns:

        ``doc_id`` (manifest id, else the file stem, made unique), ``path`` (relative to the folder or
        manifest given), ``format`` (txt, docx, pdf, html), ``encoding`` (as detected, e.g. ``utf-8``,
        ``utf-8-sig``, ``gb2312``, ``gbk``, ``gb18030``, ``utf-16-le``), ``title``, ``region``,
        ``parent_region``, ``province``, ``level`` (省/市/区/县/镇/乡/街道/部门), ``year`` (Int64),
        ``chars`` (length of ``text``), ``sha256`` (of ``text`` in UTF-8), ``text`` (as decoded, line ends
        normalised to ``\\n``). Metadata the manifest does not give is inferred from the text and file
        name, or left empty.

        The ingest account — one row per file: ``path``, ``status`` (loaded | skipped | duplicate),
        ``reason`` (empty when loaded), ``doc_id`` — is returned second with ``report=True``, and is kept
        as records in ``corpus.attrs["ingest"]``; :func:`ingest_table` turns those back into a table.

    Examples
    --------
    >>> corpus = load_corpus("data/reports")                          # doctest: +SKIP
    >>> corpus[["doc_id", "region", "level", "year", "chars"]]        # doctest: +SKIP
               doc_id region level  year  chars
    0  changjiang-2021  昌江区    区  2021   7006
    """
    paths = [path] if isinstance(path, (str, Path)) else list(path)
    entries: list[dict] = []  # candidate files with manifest metadata
    ingest: list[dict] = []
    for p in paths:
        _collect(Path(p), entries, ingest)

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
            text, fmt, encoding, title_hint = read_report(file, max_bytes=max_bytes)
        except IngestError as exc:
            ingest.append(dict(path=shown, status="skipped", reason=str(exc), doc_id=""))
            log.info("skipped %s: %s", shown, exc)
            continue
        except OSError as exc:
            ingest.append(dict(path=shown, status="skipped", reason=f"cannot read file ({exc.strerror})",
                               doc_id=""))
            continue
        digest = _sha256(text)
        if digest in seen_hash:
            ingest.append(dict(path=shown, status="duplicate", reason=f"same content as {seen_hash[digest]}",
                               doc_id=""))
            continue
        meta = entry["meta"]
        doc_id = _unique_id(meta.get("doc_id") or file.stem, used)
        seen_hash[digest] = doc_id
        inferred = infer_metadata(text, filename=file.name, title_hint=title_hint)
        year = meta.get("year") or inferred["year"]
        rows.append(dict(
            doc_id=doc_id, path=shown, format=fmt, encoding=encoding,
            title=meta.get("title") or inferred["title"],
            region=meta.get("region") or inferred["region"],
            parent_region=meta.get("parent_region") or inferred["parent_region"],
            province=meta.get("province") or inferred["province"],
            level=meta.get("level") or inferred["level"],
            year=int(year) if year not in (None, "") else None,
            chars=len(text), sha256=digest, text=text,
        ))
        ingest.append(dict(path=shown, status="loaded", reason="", doc_id=doc_id))

    corpus = pd.DataFrame(rows, columns=CORPUS_COLUMNS)
    corpus["year"] = corpus["year"].astype("Int64")
    corpus["chars"] = corpus["chars"].astype("int64")
    corpus = corpus.sort_values("doc_id", kind="stable").reset_index(drop=True)
    account = pd.DataFrame(ingest, columns=INGEST_COLUMNS)
    order = {"loaded": 0, "duplicate": 1, "skipped": 2}
    account = account.sort_values(["path", "status"], key=lambda s: s.map(order) if s.name == "status" else s,
                                  kind="stable").reset_index(drop=True)
    # Plain records keep the table writable with to_parquet (pandas serialises attrs as JSON).
    corpus.attrs["ingest"] = account.to_dict("records")
    if report:
        return corpus, account
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
        meta = {k: (row.get(k) or "").strip() for k in MANIFEST_COLUMNS if k != "path"}
        entries.append(dict(file=file, shown=resolved.relative_to(root_resolved).as_posix(), meta=meta))
    return listed


def join_metadata(table: pd.DataFrame, corpus: pd.DataFrame, columns: str | Sequence[str]) -> pd.DataFrame:
    """Add report columns (``year``, ``region``, ``level`` …) to any table with ``doc_id``.

    Returns a copy of ``table`` with the requested ``corpus`` columns looked up by ``doc_id`` (rows and their
    order unchanged; a ``doc_id`` missing from the corpus gets a missing value).
    """
    from .._validate import check_columns

    cols = [columns] if isinstance(columns, str) else list(columns)
    check_columns(table, ["doc_id"], what="table")
    check_columns(corpus, ["doc_id", *cols], what="corpus")
    meta = corpus.drop_duplicates("doc_id").set_index("doc_id")
    out = table.copy()
    for col in cols:
        out[col] = out["doc_id"].map(meta[col])
    return out


def ingest_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """The ingest account attached to a corpus by :func:`load_corpus`: ``path, status, reason, doc_id``."""
    return pd.DataFrame(corpus.attrs.get("ingest", []), columns=INGEST_COLUMNS)


def summarize_ingest(ingest: pd.DataFrame) -> str:
    """One line: ``N files: L loaded, S skipped, D duplicate`` (a manifest read for metadata is named apart)."""
    is_manifest = ingest["reason"].str.startswith("manifest, not a report")
    counts = ingest.loc[~is_manifest, "status"].value_counts()
    line = (f"{int((~is_manifest).sum())} report file(s): {int(counts.get('loaded', 0))} loaded, "
            f"{int(counts.get('skipped', 0))} skipped, {int(counts.get('duplicate', 0))} duplicate")
    if is_manifest.any():
        line += f"; metadata from {int(is_manifest.sum())} manifest(s)"
    return line
