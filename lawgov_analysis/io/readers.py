"""Read one report file (or the bytes of one) into text, with bounds on what it may expand to.

Formats: ``.txt`` (any encoding Chinese government sites use), ``.docx``, ``.pdf`` with a text layer,
``.html``/``.htm``, and from bytes also legacy Word ``doc``/``wps``. Every reader is bounded (:class:`ReadLimits`):

- the file on disk (``max_bytes``, default :data:`~lawgov_analysis.core.config.MAX_FILE_BYTES`);
- what a compressed container expands to (``max_expanded_bytes``, default :data:`MAX_EXPANDED_BYTES`): the sizes
  a ``.docx``/``.xlsx`` zip declares for its members are added up before anything is inflated, the body is read
  through a counting stream that stops at the bound (a zip whose headers lie stops there too), and a PDF
  stream may not decompress past it;
- the extracted text (``max_chars``, default :data:`MAX_TEXT_CHARS`), checked while a ``.docx`` is parsed and a
  ``.pdf`` is read page by page (at most :data:`MAX_PDF_PAGES` pages), so a bomb stops early.

A file over a bound raises :class:`IngestError` naming the bound; the loader records it as ``skipped``.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..core.config import MAX_FILE_BYTES

log = logging.getLogger(__name__)

#: Longest text a report may have, in characters (the longest real report is a few hundred thousand).
MAX_TEXT_CHARS = 5_000_000
#: Most bytes a compressed file (.docx/.xlsx members, a PDF stream) may expand to.
MAX_EXPANDED_BYTES = 100 * 1024 * 1024
#: Most pages read from a PDF.
MAX_PDF_PAGES = 5_000
#: Most XML elements in one .docx paragraph or table (bounds the parser's memory on hostile files).
MAX_DOCX_ELEMENTS = 1_000_000

#: File extension → report format read by :func:`read_report`.
REPORT_FORMATS = {".txt": "txt", ".text": "txt", ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html"}
#: Formats :func:`read_bytes` reads (legacy Word only from bytes, as fetch brings attachments home).
BYTES_FORMATS = ("txt", "docx", "pdf", "html", "doc", "wps")
#: Extensions that are not read, with what to do about them.
KNOWN_OTHER = {
    ".doc": "not a report format (.doc: legacy Word, save it as .docx)",
    ".wps": "not a report format (.wps: save it as .docx)",
    ".rtf": "not a report format (.rtf: save it as .docx or .txt)",
}


class IngestError(Exception):
    """A file cannot be loaded; the message is the reason shown in the ingest account."""


@dataclass(frozen=True)
class ReadLimits:
    """Bounds on one file: bytes on disk, bytes it may expand to, characters of extracted text."""

    max_bytes: int = MAX_FILE_BYTES
    max_expanded_bytes: int = MAX_EXPANDED_BYTES
    max_chars: int = MAX_TEXT_CHARS

    def __post_init__(self):
        for name in ("max_bytes", "max_expanded_bytes", "max_chars"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")


@dataclass
class Extracted:
    """What a reader found: the text (line ends normalised), its format and encoding, and page hints."""

    text: str
    format: str
    encoding: str
    title_hint: str = ""
    url: str = ""


def human_bytes(n: float) -> str:
    """``512 bytes``, ``1.5 KB``, ``20 MB`` …"""
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}".replace(".0 ", " ")
        n /= 1024
    return f"{n} bytes"  # pragma: no cover


def _too_long(chars: int, limits: ReadLimits) -> IngestError:
    return IngestError(f"text longer than {limits.max_chars:,} characters ({chars:,}); "
                       "raise max_chars to load it")


def _too_big(what: str, size: int | None, limits: ReadLimits) -> IngestError:
    found = f" ({human_bytes(size)})" if size is not None else ""
    return IngestError(f"{what} expands past {human_bytes(limits.max_expanded_bytes)}{found}; "
                       "raise max_expanded_bytes to load it")


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
    """Decoded text looks like text: few control characters."""
    if not text:
        return True
    controls = len(_CONTROL.findall(text))
    return controls <= max(2, len(text) // 1000)


def _few_nuls(text: str) -> bool:
    """Text with control characters allowed, but not the NUL of every other byte (UTF-16 read as UTF-8)."""
    return text.count("\x00") <= max(2, len(text) // 100)


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


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") / len(text)


def decode_bytes(data: bytes, *, allow_controls: bool = False) -> tuple[str, str]:
    """Decode report (or manifest) bytes, returning ``(text, encoding)``.

    Order: byte-order mark; strict UTF-8; UTF-16 without BOM (by its NUL pattern, or by charset-normalizer);
    the narrowest of GB2312 / GBK / GB18030 / Big5 that decodes strictly. A decoding with more than a few
    control characters is taken for binary and the next one is tried, unless ``allow_controls`` (manifests:
    their cells are checked one by one). Raises :class:`IngestError` with "undecodable bytes at offset N" when
    nothing decodes cleanly (N is the furthest any candidate got).
    """
    plausible = _few_nuls if allow_controls else _plausible
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
        if plausible(text):
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
        if plausible(text) and (not name.startswith("utf-16") or name == lane or _cjk_share(text) > 0.05
                                or text.isascii()):
            return text, name
    raise IngestError(f"undecodable bytes at offset {furthest}")


def normalize_newlines(text: str) -> str:
    """Normalise ``\\r\\n`` and ``\\r`` line endings to ``\\n``; no other character changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


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


# ---------------------------------------------------------------------------------------------------------
# Zip containers (.docx, .xlsx)


class _BoundedReader(io.RawIOBase):
    """A read-only stream over ``raw`` that raises once more than ``limit`` bytes have been read."""

    def __init__(self, raw, limit: int, on_over):
        self._raw, self._limit, self._on_over, self.count = raw, limit, on_over, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        data = self._raw.read(min(n, 1 << 20) if n is not None and n >= 0 else 1 << 20)
        self.count += len(data)
        if self.count > self._limit:
            raise self._on_over()
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def open_zip(source: bytes | str | Path, *, limits: ReadLimits, what: str) -> zipfile.ZipFile:
    """Open a zip container after checking the sizes its members declare add up to at most
    ``limits.max_expanded_bytes`` (nothing is inflated here). Raises :class:`IngestError` naming ``what``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise IngestError(f"corrupt or truncated {what} (not a valid zip archive)") from None
    declared = sum(info.file_size for info in archive.infolist())
    if declared > limits.max_expanded_bytes:
        archive.close()
        raise _too_big(what, declared, limits)
    return archive


def open_member(archive: zipfile.ZipFile, name: str, *, limits: ReadLimits, what: str):
    """A bounded stream over one zip member: reading past ``limits.max_expanded_bytes`` raises IngestError."""
    return io.BufferedReader(_BoundedReader(archive.open(name), limits.max_expanded_bytes,
                                            lambda: _too_big(what, None, limits)), buffer_size=1 << 16)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAIN_REL = re.compile(rb"""Type\s*=\s*["'][^"']*/officeDocument["'][^>]*?Target\s*=\s*["']/?([^"']+)["']"""
                       rb"""|Target\s*=\s*["']/?([^"']+)["'][^>]*?Type\s*=\s*["'][^"']*/officeDocument["']""")


def _docx_main_part(archive: zipfile.ZipFile) -> str:
    names = set(archive.namelist())
    if "_rels/.rels" in names and archive.getinfo("_rels/.rels").file_size < 1 << 20:
        match = _MAIN_REL.search(archive.read("_rels/.rels"))
        if match:
            target = (match.group(1) or match.group(2)).decode("utf-8", "replace")
            if target in names:
                return target
    if "word/document.xml" in names:
        return "word/document.xml"
    raise IngestError("corrupt .docx (no main document part)")


def _run_text(run) -> str:
    out = []
    for child in run:
        tag = child.tag
        if tag == f"{_W}t":
            out.append(child.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            out.append("\t")
        elif tag == f"{_W}cr":
            out.append("\n")
        elif tag == f"{_W}br":
            out.append("\n" if child.get(f"{_W}type", "textWrapping") == "textWrapping" else "")
        elif tag == f"{_W}noBreakHyphen":
            out.append("-")
    return "".join(out)


def _paragraph_text(p) -> str:
    """As python-docx's ``Paragraph.text``: runs and hyperlinked runs that are direct children."""
    out = []
    for child in p:
        if child.tag == f"{_W}r":
            out.append(_run_text(child))
        elif child.tag == f"{_W}hyperlink":
            out.extend(_run_text(r) for r in child if r.tag == f"{_W}r")
    return "".join(out)


def _table_lines(tbl) -> list[str]:
    """One line per row: cell texts joined by tabs; a merged cell's text once (as python-docx rows read)."""
    lines, above = [], []
    for tr in tbl.iterchildren(f"{_W}tr"):
        grid: list[str] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span, merge = 1, None
            if props is not None:
                span_el, merge_el = props.find(f"{_W}gridSpan"), props.find(f"{_W}vMerge")
                if span_el is not None and (span_el.get(f"{_W}val") or "").isdigit():
                    span = max(1, int(span_el.get(f"{_W}val")))
                if merge_el is not None:
                    merge = merge_el.get(f"{_W}val", "continue")
            if merge == "continue":
                text = above[len(grid)] if len(grid) < len(above) else ""
            else:
                text = "\n".join(_paragraph_text(p) for p in tc.iterchildren(f"{_W}p"))
            grid.extend([text] * min(span, 64))
        cells: list[str] = []
        for value in grid:
            value = value.strip()
            if not cells or cells[-1] != value:  # merged cells repeat their text
                cells.append(value)
        lines.append("\t".join(cells))
        above = grid
    return lines


def _read_docx(data: bytes, limits: ReadLimits) -> Extracted:
    from lxml import etree

    archive = open_zip(data, limits=limits, what=".docx")
    with archive:
        part = _docx_main_part(archive)
        lines: list[str] = []
        chars = elements = 0
        depth = 0
        try:
            stream = open_member(archive, part, limits=limits, what=".docx")
            events = etree.iterparse(stream, events=("start", "end"), resolve_entities=False, no_network=True,
                                     huge_tree=False, load_dtd=False)
            for event, elem in events:
                if event == "start":
                    depth += 1
                    elements += 1
                    if elements > MAX_DOCX_ELEMENTS:
                        raise IngestError(f".docx paragraph or table with more than {MAX_DOCX_ELEMENTS:,} XML "
                                          "elements")
                    continue
                depth -= 1
                if elem.tag == f"{_W}t" and elem.text:
                    chars += len(elem.text)
                    if chars > limits.max_chars:
                        raise _too_long(chars, limits)
                if depth != 2:  # document (0) › body (1) › paragraph or table (2)
                    continue
                parent = elem.getparent()
                if parent is not None and parent.tag == f"{_W}body":
                    if elem.tag == f"{_W}p":
                        lines.append(_paragraph_text(elem))
                    elif elem.tag == f"{_W}tbl":
                        lines.extend(_table_lines(elem))
                elem.clear()
                if parent is not None:
                    parent.remove(elem)
                elements = 0
        except IngestError:
            raise
        except (etree.XMLSyntaxError, zipfile.BadZipFile, EOFError, OSError, KeyError, ValueError) as exc:
            raise IngestError(f"corrupt .docx ({type(exc).__name__}: {exc})") from None
    return Extracted("\n".join(lines), "docx", "docx (utf-8 xml)")


# ---------------------------------------------------------------------------------------------------------
# Other formats


def _read_txt(data: bytes, limits: ReadLimits) -> Extracted:
    text, encoding = decode_bytes(data)
    return Extracted(text, "txt", encoding)


def _read_pdf(data: bytes, limits: ReadLimits) -> Extracted:
    import pypdf
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    bound = min(limits.max_expanded_bytes, 75_000_000)
    pages: list[str] = []
    chars = 0
    try:
        with warnings.catch_warnings(), pypdf.apply_configuration(
                zlib_maximum_output_length=bound, lzw_maximum_output_length=bound,
                run_length_maximum_output_length=bound, brotli_maximum_output_length=bound,
                array_based_stream_maximum_output_length=bound, maximum_declared_stream_length=bound,
                image_maximum_buffer_size=bound):
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                try:
                    reader.decrypt("")
                except Exception:
                    raise IngestError("encrypted PDF (password required)") from None
            count = len(reader.pages)
            if count > MAX_PDF_PAGES:
                raise IngestError(f"PDF with more than {MAX_PDF_PAGES:,} pages ({count:,})")
            for page in reader.pages:
                text = page.extract_text() or ""
                chars += len(text)
                if chars > limits.max_chars:
                    raise _too_long(chars, limits)
                pages.append(text)
    except IngestError:
        raise
    except pypdf.errors.LimitReachedError:
        raise _too_big("PDF stream", None, limits) from None
    except Exception as exc:  # pypdf raises many types on broken files
        raise IngestError(f"corrupt PDF ({type(exc).__name__}: {exc})") from None
    text = "\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        raise IngestError("no text layer (scanned PDF?)")
    return Extracted(text, "pdf", "pdf text layer")


def _read_html(data: bytes, limits: ReadLimits) -> Extracted:
    import trafilatura

    html, encoding = decode_html(data)
    if len(html) > limits.max_expanded_bytes:
        raise _too_big("HTML page", len(html), limits)
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
    return Extracted(text, "html", encoding, title_hint=title, url=url)


def _read_legacy_word(data: bytes, format: str) -> str:
    from legacy_doc import LegacyDocError, extract_text

    if not data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise IngestError(f"legacy format, no converter (.{format} is not an OLE Word document)")
    try:
        return extract_text(data).text
    except LegacyDocError as exc:
        raise IngestError(f"legacy format, no converter (.{format}: {exc})") from None
    except Exception as exc:  # the parser meets arbitrary bytes from the web
        raise IngestError(f"corrupt .{format} ({type(exc).__name__}: {exc})") from None


_READERS = {"txt": _read_txt, "docx": _read_docx, "pdf": _read_pdf, "html": _read_html}


def extract(data: bytes, format: Literal["txt", "docx", "pdf", "html", "doc", "wps"], *,
            limits: ReadLimits | None = None) -> Extracted:
    """Read report bytes of a known ``format`` within ``limits`` (default :class:`ReadLimits`).

    Returns the :class:`Extracted` text (line ends normalised to ``\\n``). Raises :class:`IngestError` with the
    reason (corrupt, undecodable, empty, over a bound); ``ValueError`` for an unknown ``format``.
    """
    limits = limits or ReadLimits()
    if format in _READERS:
        found = _READERS[format](data, limits)
    elif format in ("doc", "wps"):
        found = Extracted(_read_legacy_word(data, format), format, f"{format} (utf-16 pieces)")
    else:
        raise ValueError(f"format must be one of {', '.join(BYTES_FORMATS)}, got {format!r}")
    if len(found.text) > limits.max_chars:
        raise _too_long(len(found.text), limits)
    found.text = normalize_newlines(found.text)
    if not found.text.strip():
        raise IngestError("empty file" if found.format == "txt" else f"empty file (no text in the .{format})")
    return found


def read_bytes(data: bytes, format: Literal["txt", "docx", "pdf", "html", "doc", "wps"], *,
               limits: ReadLimits | None = None) -> tuple[str, str]:
    """Read report bytes of a known format and return ``(text, encoding)``, line endings normalised.

    ``txt``, ``docx``, ``pdf`` and ``html`` as the loader reads files; legacy Word ``doc`` and Kingsoft ``wps``
    (OLE compound documents with a ``WordDocument`` stream) with the pure-Python `legacy-doc` package.
    Raises :class:`IngestError` with the reason.
    """
    found = extract(data, format, limits=limits)
    return found.text, found.encoding


def read_file(path: str | Path, *, limits: ReadLimits | None = None) -> Extracted:
    """Read one report file within ``limits``; raises :class:`IngestError` with the reason it cannot be loaded
    (``OSError`` when the file cannot be opened)."""
    limits = limits or ReadLimits()
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in REPORT_FORMATS:
        raise IngestError(KNOWN_OTHER.get(suffix, f"not a report format ({suffix or 'no extension'})"))
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise IngestError(f"file larger than {human_bytes(limits.max_bytes)} ({human_bytes(size)})")
    if size == 0:
        raise IngestError("empty file")
    return extract(path.read_bytes(), REPORT_FORMATS[suffix], limits=limits)


def read_report(path: str | Path, *, limits: ReadLimits | None = None) -> tuple[str, str, str, str]:
    """Read one report file and return ``(text, format, encoding, title_hint)``.

    ``text`` keeps the characters as decoded, with line endings normalised to ``\\n``. Raises
    :class:`IngestError` whose message is the reason the file cannot be loaded.
    """
    found = read_file(path, limits=limits)
    return found.text, found.format, found.encoding, found.title_hint
