"""Gather reports from government websites into a folder that :func:`~lawgov_analysis.io.corpus.load_corpus` reads.

:func:`fetch_reports` downloads a list of report URLs (or the articles listed on a site's column page, see
:func:`crawl_listing`) politely — robots.txt obeyed (protego), one request at a time with a per-host delay, a
User-Agent naming the tool, timeouts, retries with exponential backoff on 5xx and timeouts, a size limit —
extracts the main text (trafilatura, as the loader does), follows attachment links (.docx, .pdf, .txt, legacy
.doc/.wps through legacy-doc) and keeps the best text. It writes one UTF-8 ``.txt`` per report, a
``manifest.csv`` and ``fetch-account.csv`` (one row per URL: fetched, skipped or failed, with the reason).
Raw responses are cached, so a rerun makes no requests; every file is written to a temporary name and renamed,
so an interruption leaves nothing half-written.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pandas as pd

from ..core.cues import load_cues
from .http import (  # noqa: F401  (re-exported: fetch's public names stay importable from here)
    FetchError,
    FetchSettings,
    PoliteClient,
    Response,
    RobotsDisallowed,
    atomic_write,
    user_agent,
)
from .manifest import MANIFEST_COLUMNS, PROVENANCE_COLUMNS
from .metadata import infer_metadata
from .readers import IngestError, decode_html, normalize_newlines, read_bytes  # noqa: F401

log = logging.getLogger(__name__)

#: Columns of ``manifest.csv`` written by :func:`fetch_reports` (one row per fetched report), in order.
#: The columns ``lawgov-analysis manifest`` writes (the loader's manifest columns with ``source`` = the URL, the
#: provenance of each inferred field — ``manifest`` when the SOURCES CSV gave it — and ``metadata_note``),
#: followed by what the fetch recorded.
FETCH_MANIFEST_COLUMNS = [
    *MANIFEST_COLUMNS, *PROVENANCE_COLUMNS, "metadata_note",
    "url", "final_url", "fetched_at", "status", "content_type", "sha256", "text_source", "attachment_url",
    "published", "encoding",
]
#: Columns of ``fetch-account.csv`` and of the account returned by :func:`fetch_reports`, in order.
ACCOUNT_COLUMNS = ["url", "outcome", "reason", "doc_id", "status"]

#: Default report-title pattern for ``--listing`` (link texts) and for deciding a page is a report.
REPORT_TITLE_PATTERN = (
    r"法治政府建设.{0,30}(?:报告|情况|总结)|依法行政.{0,20}(?:报告|情况|总结)|法治建设.{0,20}(?:报告|情况)"
    r"|法治政府.{0,10}年度报告|工作情况的?报告"
)
ATTACHMENT_FORMATS = {".docx": "docx", ".pdf": "pdf", ".txt": "txt", ".doc": "doc", ".wps": "wps"}
_STUB_CHARS = 200  # a page body shorter than this (after removing the attachment line) is a stub
_NEXT_PAGE = re.compile(r"^\s*(?:下一页|下页|后一页|next|>|›|»)\s*$", re.IGNORECASE)
_CREATE_PAGE = re.compile(r"createPage(?:HTML)?\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,"
                          r"\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]")


# ---------------------------------------------------------------------------------------------------------
# Pages: decoding, links, dates, main text


def _parse_html(html: str):
    import lxml.html

    try:
        return lxml.html.fromstring(html)
    except Exception:  # lxml raises ParserError / ValueError on empty or odd documents
        return None


def page_links(html: str, base_url: str) -> list[tuple[str, str]]:
    """Every ``<a href>`` on a page as ``(absolute url, link text)``, in page order, fragments removed."""
    tree = _parse_html(html)
    if tree is None:
        return []
    links = []
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urljoin(base_url, href).split("#", 1)[0]
        text = re.sub(r"\s+", "", a.text_content() or "") or (a.get("title") or "").strip()
        links.append((url, text))
    return links


def page_title(html: str) -> str:
    """The article title: trafilatura's metadata title, else ``<title>``."""
    import trafilatura

    meta = trafilatura.extract_metadata(html)
    if meta is not None and meta.title:
        return meta.title.strip()
    tree = _parse_html(html)
    node = tree.find(".//title") if tree is not None else None
    return (node.text_content().strip() if node is not None else "")


def published_date(html: str, text: str = "") -> str:
    """Publication date ``YYYY-MM-DD``: the page's own 发布时间/发布日期 line, else htmldate; ``""`` if none."""
    tree = _parse_html(html)
    visible = tree.text_content() if tree is not None else ""
    for source in (visible, text):
        for m in load_cues().publication_date.finditer(source):
            if m.group("day") is None:
                continue
            year, month, day = int(m.group("year")), int(m.group("month")), int(m.group("day"))
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    from htmldate import find_date

    logging.getLogger("htmldate").setLevel(logging.ERROR)
    try:
        return find_date(html, original_date=True, outputformat="%Y-%m-%d") or ""
    except Exception:  # htmldate is a best-effort hint
        return ""


def main_text(html: str) -> str:
    """The page's main text (trafilatura, tables kept, navigation, date lines and footers dropped).

    Live government pages carry heavy navigation, so trafilatura runs in precision mode first; when that finds
    nothing it runs in recall mode, as the loader does for saved pages.
    """
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    text = ""
    for mode in ({"favor_precision": True}, {"favor_recall": True}):
        text = trafilatura.extract(html, include_comments=False, include_tables=True, deduplicate=False,
                                   output_format="txt", **mode) or ""
        if text.strip():
            break
    return normalize_newlines(text)


def attachment_links(links: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Links to report attachments as ``(url, link text, format)``; the extension comes from the URL path or
    the link text (``附件：XX区2021年法治政府建设情况报告.docx``)."""
    found, seen = [], set()
    for url, text in links:
        path = urlsplit(url).path.lower()
        fmt = next((f for ext, f in ATTACHMENT_FORMATS.items() if path.endswith(ext)), None)
        if fmt is None:
            fmt = next((f for ext, f in ATTACHMENT_FORMATS.items() if text.lower().endswith(ext)), None)
        if fmt and url not in seen:
            seen.add(url)
            found.append((url, text, fmt))
    return found


def _stub_remainder(text: str, attachment_texts: Sequence[str]) -> str:
    """The page text without lines that only name an attachment (附件：…docx)."""
    kept = []
    for line in text.split("\n"):
        bare = re.sub(r"\s+", "", line)
        if not bare:
            continue
        if re.match(r"^(?:附件|下载|相关附件)\s*\d*\s*[:：]?", bare) or any(t and t in bare for t in attachment_texts):
            continue
        kept.append(line)
    return "\n".join(kept)


# ---------------------------------------------------------------------------------------------------------
# Listing pages


def _next_page_urls(html: str, url: str, links: Sequence[tuple[str, str]]) -> list[str]:
    """Candidates for the next listing page: a 下一页 link, the JS ``createPageHTML(n, i, "index", "html")``
    pattern, ``index_N.html`` and ``?page=N`` successors of the current URL."""
    out = [u for u, t in links if _NEXT_PAGE.match(t)]
    parts = urlsplit(url)
    m = _CREATE_PAGE.search(html)
    if m:
        count, current, stem, ext = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
        if current + 1 < count:
            out.append(urljoin(url, f"{stem}_{current + 1}.{ext}"))
    m = re.search(r"(?:^|/)(index|list|default)(?:_(\d+))?\.(s?html?|jsp|php)$", parts.path)
    if m:
        n = int(m.group(2) or 0) + 1
        successor = f"{m.group(1)}_{n}.{m.group(3)}"
        if any(urlsplit(u).path.endswith("/" + successor) for u, _ in links):
            out.append(urljoin(url, successor))
    query = dict(parse_qsl(parts.query))
    for key in ("page", "pageNo", "pageNum", "p"):
        if key in query and query[key].isdigit():
            query[key] = str(int(query[key]) + 1)
            successor = urlunsplit(parts._replace(query=urlencode(query)))
            if any(u == successor for u, _ in links):
                out.append(successor)
    if not out:
        for key in ("page", "pageNo"):
            successor = urlunsplit(parts._replace(query=urlencode({**query, key: 2})))
            if "?" in url or not any(u == successor for u, _ in links):
                continue
            out.append(successor)
    return list(dict.fromkeys(out))


def crawl_listing(client: PoliteClient, url: str, *, pattern: str = REPORT_TITLE_PATTERN, max_pages: int = 5,
                  account: list[dict] | None = None) -> list[tuple[str, str]]:
    """Follow a site's column page and its pagination; return ``(article url, link title)`` for every link
    whose text matches ``pattern``, in page order, without repeats.

    Pagination follows 下一页 links, ``index_N.html`` and ``?page=N`` successors, up to ``max_pages`` pages.
    Listing pages that cannot be fetched are added to ``account`` (outcome ``failed``/``skipped``).
    """
    regex = re.compile(pattern)
    found: dict[str, str] = {}
    queue, visited = [url], set()
    while queue and len(visited) < max_pages:
        page = queue.pop(0)
        if page in visited:
            continue
        visited.add(page)
        try:
            response = client.get(page)
        except RobotsDisallowed as exc:
            _note(account, page, "skipped", f"listing page: {exc}")
            continue
        except FetchError as exc:
            _note(account, page, "failed", f"listing page: {exc}")
            continue
        if response.status >= 400:
            if page == url:
                _note(account, page, "failed", f"listing page: HTTP {response.status}", response.status)
            continue
        html, _ = decode_html(response.body, response.charset)
        links = page_links(html, response.final_url)
        for link, text in links:
            if regex.search(text) and link not in found:
                found[link] = text
        queue.extend(u for u in _next_page_urls(html, response.final_url, links) if u not in visited)
    return list(found.items())


def _note(account: list[dict] | None, url: str, outcome: str, reason: str, status: int | None = None) -> None:
    if account is not None:
        account.append(dict(url=url, outcome=outcome, reason=reason, doc_id="", status=status))


# ---------------------------------------------------------------------------------------------------------
# One report


@dataclass
class _Report:
    text: str
    text_source: str
    title: str
    published: str
    encoding: str
    attachment_url: str = ""
    attachment_name: str = ""
    notes: list[str] = field(default_factory=list)


def _is_report(regex: re.Pattern, title: str, text: str) -> bool:
    """A report names itself in its title, or in its first two lines when the page has no usable title."""
    head = [line for line in text.split("\n") if line.strip()][:2]
    return any(regex.search(t) for t in (title, *head) if t)


def _fetch_one(client: PoliteClient, url: str, regex: re.Pattern, *, attachments: bool) -> tuple[_Report, Response]:
    """Fetch one URL and return its best text; raises FetchError / IngestError / _NotReport."""
    response = client.get(url)
    if response.status >= 400:
        raise FetchError(f"HTTP {response.status}")
    fmt = _format_of(response)
    if fmt != "html":
        text, encoding = read_bytes(response.body, fmt, limits=client.settings.limits)
        name = Path(urlsplit(response.final_url).path).name
        if not _is_report(regex, name, text):
            raise _NotReport(f"no report title in the {fmt} file")
        return _Report(text, "page", "", "", encoding), response
    html, encoding = decode_html(response.body, response.charset)
    title = page_title(html)
    text = main_text(html)
    published = published_date(html, text)
    found = attachment_links(page_links(html, response.final_url)) if attachments else []
    if not _is_report(regex, title, text) and not any(regex.search(t) for _, t, _ in found):
        raise _NotReport("no report title on the page")
    report = _Report(text, "page", title, published, encoding)
    if not found:
        if not text.strip():
            raise IngestError("no main text found in HTML page")
        return report, response
    # Prefer attachments whose link text names a report; try them in page order.
    ranked = sorted(found, key=lambda f: (not regex.search(f[1]), found.index(f)))
    remainder = _stub_remainder(text, [t for _, t, _ in found])
    stub = len(remainder.strip()) < _STUB_CHARS
    errors = []
    for att_url, att_text, att_fmt in ranked:
        try:
            att = client.get(att_url)
            if att.status >= 400:
                raise FetchError(f"HTTP {att.status}")
            att_text_body, att_encoding = read_bytes(att.body, att_fmt, limits=client.settings.limits)
        except (FetchError, IngestError) as exc:
            errors.append(f"attachment {Path(urlsplit(att_url).path).name}: {exc}")
            continue
        if stub or len(att_text_body.strip()) > 1.2 * len(text.strip()):
            return _Report(att_text_body, "attachment", title or att_text, published, att_encoding,
                           attachment_url=att_url, attachment_name=att_text), response
        report.notes.append(f"attachment {Path(urlsplit(att_url).path).name} shorter than the page")
        return report, response
    if stub:
        raise FetchError("page is only an attachment link; " + "; ".join(errors))
    report.notes.extend(errors)
    return report, response


class _NotReport(Exception):
    pass


def _format_of(response: Response) -> str:
    ctype = response.content_type.split(";")[0].strip().lower()
    path = urlsplit(response.final_url).path.lower()
    for ext, fmt in ATTACHMENT_FORMATS.items():
        if path.endswith(ext):
            return fmt
    if ctype in ("application/pdf",):
        return "pdf"
    if ctype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
        return "docx"
    if ctype in ("application/msword",):
        return "doc"
    if ctype == "text/plain":
        return "txt"
    return "html"


def _slug(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or "site"
    host = re.sub(r"^www\.", "", host).split(".gov.cn")[0].split(".")[-1] or host
    stem = Path(parts.path).stem or "index"
    if parts.query:
        stem += "-" + hashlib.sha1(parts.query.encode()).hexdigest()[:6]
    slug = re.sub(r"[^A-Za-z0-9_]+", "-", f"{host}-{stem}").strip("-")
    return slug[:80] or hashlib.sha1(url.encode()).hexdigest()[:12]


# ---------------------------------------------------------------------------------------------------------
# The whole run


def read_sources(sources: str | Path | pd.DataFrame | Sequence[str]) -> pd.DataFrame:
    """Read SOURCES: a CSV with a ``url`` column (other columns such as region, level, year, department,
    title go into the manifest), a DataFrame with ``url``, a single URL, or a list of URLs.

    Returns one row per unique URL (first occurrence kept), all columns as strings.
    """
    if isinstance(sources, pd.DataFrame):
        table = sources.astype(str).copy()
    elif isinstance(sources, str) and re.match(r"^https?://", sources):
        table = pd.DataFrame({"url": [sources]})
    elif isinstance(sources, (str, Path)):
        path = Path(sources)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: sources file not found")
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", comment="#")
        table.columns = [c.strip() for c in table.columns]
        if "url" not in table.columns:
            raise ValueError(f"{path}: a sources CSV needs a 'url' column; it has {', '.join(table.columns)}")
    else:
        table = pd.DataFrame({"url": list(sources)})
    table = table.fillna("")
    table["url"] = table["url"].str.strip()
    table = table[table["url"] != ""]
    bad = ~table["url"].str.match(r"^https?://")
    if bad.any():
        raise ValueError(f"url must start with http:// or https://, got {table.loc[bad, 'url'].iloc[0]!r}")
    return table.drop_duplicates("url").reset_index(drop=True)


def _read_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    if not path.is_file():
        return pd.DataFrame(columns=columns)
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for col in columns:
        if col not in table.columns:
            table[col] = ""
    return table


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    """UTF-8 with a byte-order mark, so Excel opens the manifest and account with the Chinese intact."""
    atomic_write(path, table.to_csv(index=False).encode("utf-8-sig"))


def fetch_reports(
    sources: str | Path | pd.DataFrame | Sequence[str] | None,
    out: str | Path,
    *,
    listing: str | Sequence[str] | None = None,
    pattern: str | None = None,
    max_pages: int = 5,
    settings: FetchSettings | None = None,
    client: PoliteClient | None = None,
    retry_failed: bool = False,
    attachments: bool = True,
    progress: bool = False,
    on_account: Callable[[dict], None] | None = None,
) -> pd.DataFrame:
    """Fetch reports into ``out`` and return the account: one row per URL.

    Parameters
    ----------
    sources
        A CSV of URLs (column ``url``; optional ``region``, ``level``, ``year``, ``department``, ``title``,
        ``province`` … copied into the manifest), a DataFrame, a single URL, a list of URLs, or ``None`` when
        only ``listing`` is given.
    out
        Output folder: one ``<doc_id>.txt`` (UTF-8) per report, ``manifest.csv`` (columns
        :data:`FETCH_MANIFEST_COLUMNS`, readable by ``load_corpus(out)``) and ``fetch-account.csv``.
    listing
        Column page URL(s): article links whose text matches ``pattern`` are fetched, through pagination
        (下一页, ``index_N.html``, ``?page=N``) up to ``max_pages`` pages per listing.
    settings
        Politeness, bounds and cache (:class:`~lawgov_analysis.io.http.FetchSettings`: per-host delay, timeout,
        retries and backoff, the largest response, attachment reading bounds, User-Agent, cache folder,
        ``refresh``). Default ``FetchSettings()``.
    client
        A :class:`~lawgov_analysis.io.http.PoliteClient` to reuse (its request counter and robots.txt cache
        carry over); it applies its own settings, so give ``settings`` or ``client``, or both only when they
        are equal (``ValueError`` otherwise). To send through your own ``httpx.Client``, pass
        ``PoliteClient(settings, http=your_client)``: the politeness applies to it too.
    retry_failed
        Redo URLs whose earlier outcome was ``failed``; responses already cached (a 404, say) are reused, so only
        timeouts, connection errors and 5xx are asked again (``settings.refresh`` redoes every URL and
        downloads everything again).
    attachments
        Follow attachment links (.docx, .pdf, .txt, .doc, .wps) on report pages.

    Returns
    -------
    pandas.DataFrame
        The account, one row per URL in input order (listing pages and articles found on them included):
        ``url``; ``outcome`` — ``fetched``, ``skipped`` (robots.txt, not a report, duplicate) or ``failed``;
        ``reason`` (empty when fetched; URLs done in an earlier run keep that run's row); ``doc_id`` of the report
        written (or of the report it duplicates); ``status`` (final HTTP status, when there was one).
        ``account.attrs["requests"]`` is the number of HTTP requests made.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    pattern = pattern or REPORT_TITLE_PATTERN
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"pattern is not a valid regular expression ({exc}): {pattern!r}") from None
    own_client = client is None
    if client is None:
        client = PoliteClient(settings or FetchSettings())
    elif not isinstance(client, PoliteClient):
        raise TypeError(f"client must be a PoliteClient (wrap an httpx.Client with PoliteClient(settings, "
                        f"http=...)), got {type(client).__name__}")
    elif settings is not None and settings != client.settings:
        changed = [f.name for f in dataclasses.fields(settings)
                   if getattr(settings, f.name) != getattr(client.settings, f.name)]
        raise ValueError(f"settings differ from the client's ({', '.join(changed)}): give settings or a client "
                         "made with them")
    refresh = client.settings.refresh
    manifest_path, account_path = out / "manifest.csv", out / "fetch-account.csv"
    manifest = _read_csv(manifest_path, FETCH_MANIFEST_COLUMNS)
    previous = _read_csv(account_path, ACCOUNT_COLUMNS)
    if refresh:
        previous = previous.iloc[0:0]
    done = {row["url"]: row for row in previous.to_dict("records")}
    account_rows: dict[str, dict] = {}
    used_ids = set(manifest["doc_id"])
    seen_hash = dict(zip(manifest["sha256"], manifest["doc_id"]))

    def record(row: dict) -> None:
        account_rows[row["url"]] = row
        if on_account is not None:
            on_account(row)

    def save() -> None:
        rows = {**{r["url"]: r for r in previous.to_dict("records")}, **account_rows}
        table = pd.DataFrame(list(rows.values()), columns=ACCOUNT_COLUMNS)
        _write_csv(table, account_path)
        _write_csv(manifest[FETCH_MANIFEST_COLUMNS + [c for c in manifest.columns
                                                      if c not in FETCH_MANIFEST_COLUMNS]], manifest_path)

    try:
        table = read_sources(sources) if sources is not None else pd.DataFrame({"url": []}, dtype=str)
        listing_urls = [listing] if isinstance(listing, str) else list(listing or [])
        for page in listing_urls:
            notes: list[dict] = []
            found = crawl_listing(client, page, pattern=pattern, max_pages=max_pages, account=notes)
            for note in notes:
                record(note)
            extra = pd.DataFrame({"url": [u for u, _ in found], "title": [t for _, t in found]})
            table = pd.concat([table, extra], ignore_index=True).fillna("").drop_duplicates("url")
        if refresh and not manifest.empty:
            manifest = manifest[~manifest["url"].isin(table["url"])]
            used_ids = set(manifest["doc_id"])
            seen_hash = dict(zip(manifest["sha256"], manifest["doc_id"]))
        iterator: Iterable[dict] = table.to_dict("records")
        if progress:
            from tqdm.auto import tqdm

            iterator = tqdm(iterator, total=len(table), desc="fetching reports", unit="url")
        for given in iterator:
            url = given["url"]
            if url in done and not refresh and not (retry_failed and done[url]["outcome"] == "failed"):
                prior = dict(done[url])
                prior["status"] = prior.get("status") or None
                record(prior)
                continue
            row = _process(client, url, given, regex, out, manifest_rows=manifest, used_ids=used_ids,
                           seen_hash=seen_hash, attachments=attachments)
            if row.pop("_manifest", None) is not None:
                manifest = pd.concat([manifest, pd.DataFrame([row.pop("_manifest_row")])], ignore_index=True)
            record(row)
            save()
    finally:
        save()
        if own_client:
            client.close()
    account = pd.DataFrame(list(account_rows.values()), columns=ACCOUNT_COLUMNS)
    account["status"] = pd.to_numeric(account["status"], errors="coerce").astype("Int64")
    account.attrs["requests"] = client.requests_made
    return account


def _process(client: PoliteClient, url: str, given: dict, regex: re.Pattern, out: Path, *,
             manifest_rows: pd.DataFrame, used_ids: set[str], seen_hash: dict[str, str],
             attachments: bool) -> dict:
    row = dict(url=url, outcome="failed", reason="", doc_id="", status=None)
    try:
        report, response = _fetch_one(client, url, regex, attachments=attachments)
    except RobotsDisallowed as exc:
        row.update(outcome="skipped", reason=str(exc))
        return row
    except _NotReport as exc:
        row.update(outcome="skipped", reason=f"not a report ({exc})")
        return row
    except (FetchError, IngestError) as exc:
        row["reason"] = str(exc)
        m = re.match(r"HTTP (\d{3})", str(exc))
        row["status"] = int(m.group(1)) if m else None
        return row
    row["status"] = response.status
    text = report.text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if digest in seen_hash:
        row.update(outcome="skipped", reason=f"duplicate (same text as {seen_hash[digest]})",
                   doc_id=seen_hash[digest])
        return row
    base = _slug(response.final_url)
    doc_id, n = base, 2
    while doc_id in used_ids:
        doc_id, n = f"{base}-{n}", n + 1
    used_ids.add(doc_id)
    seen_hash[digest] = doc_id
    path = f"{doc_id}.txt"
    atomic_write(out / path, text.encode("utf-8"))
    inferred = infer_metadata(text, filename=report.attachment_name or path, title_hint=report.title, url=url)
    meta = {k: str(given.get(k, "") or "").strip() for k in given}
    if meta.get("parent_region") and not meta.get("city"):
        meta["city"] = meta["parent_region"]
    # SOURCES columns win; the rest comes from the corpus module's inference (empty when it finds nothing).
    filled = {k: meta.get(k) or _as_cell(inferred.get(k)) for k in MANIFEST_COLUMNS if k not in ("doc_id", "path")}
    filled["title"] = filled.get("title") or report.title
    for column in PROVENANCE_COLUMNS:
        field_name = column.removesuffix("_source")
        filled[column] = "manifest" if meta.get(field_name) else _as_cell(inferred.get(column))
    filled["metadata_note"] = _as_cell(inferred.get("metadata_note"))
    manifest_row = {
        **{k: v for k, v in meta.items() if k not in FETCH_MANIFEST_COLUMNS},
        **filled,
        "doc_id": doc_id, "path": path,
        "source": url, "url": url, "final_url": response.final_url, "fetched_at": response.fetched_at,
        "status": str(response.status), "content_type": response.content_type, "sha256": digest,
        "text_source": report.text_source, "attachment_url": report.attachment_url,
        "published": report.published, "encoding": report.encoding,
    }
    row.update(outcome="fetched", reason="; ".join(report.notes), doc_id=doc_id, _manifest=True,
               _manifest_row=manifest_row)
    return row


def _as_cell(value) -> str:
    return "" if value is None else str(value)


def summarize_account(account: pd.DataFrame) -> str:
    """One line: ``N URL(s): F fetched, S skipped (reasons…), X failed``."""
    counts = account["outcome"].value_counts()
    skipped = account[account["outcome"] == "skipped"]["reason"].map(_reason_kind).value_counts()
    detail = ", ".join(f"{n} {k}" for k, n in sorted(skipped.items()))
    line = (f"{len(account)} URL(s): {int(counts.get('fetched', 0))} fetched, "
            f"{int(counts.get('skipped', 0))} skipped" + (f" ({detail})" if detail else "")
            + f", {int(counts.get('failed', 0))} failed")
    return line


def _reason_kind(reason: str) -> str:
    for kind in ("robots", "not a report", "duplicate", "listing page"):
        if kind in reason:
            return kind
    return reason
