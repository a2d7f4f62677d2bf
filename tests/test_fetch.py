"""``fetch``: a fixture government site on localhost, every URL in its expected state, politeness measured."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from lawgov_analysis.core.levels import LEVELS
from lawgov_analysis.io.corpus import IngestError, load_corpus
from lawgov_analysis.io.fetch import (
    ACCOUNT_COLUMNS,
    FETCH_MANIFEST_COLUMNS,
    FetchSettings,
    _next_page_urls,
    attachment_links,
    decode_html,
    fetch_reports,
    page_links,
    published_date,
    read_bytes,
    summarize_account,
    user_agent,
)

from .fetch_site.site import EXPECTED, TEXTS, Site, write_sources
from .fetch_site.word97 import word97_doc

DELAY = 0.2
MAX_BYTES = 200_000
SETTINGS = FetchSettings(delay=DELAY, timeout=1.0, retries=1, backoff=0.05, max_bytes=MAX_BYTES)


def _options(cache: Path, **changes) -> dict:
    """fetch_reports options of these tests: 3 listing pages, SETTINGS with this cache folder (and changes)."""
    return dict(max_pages=3, settings=SETTINGS.replace(cache=cache, **changes))


@pytest.fixture(scope="module")
def server():
    from pytest_httpserver import HTTPServer

    srv = HTTPServer(threaded=True)  # the slow page must not block the next request
    srv.start()
    yield srv
    srv.clear()
    if srv.is_running():
        srv.stop()


def _serve(server) -> tuple[Site, str]:
    server.clear()
    site = Site(max_bytes=MAX_BYTES, slow_seconds=1.6)
    server.expect_request(re.compile(".*")).respond_with_handler(site)
    return site, server.url_for("").rstrip("/")


@pytest.fixture(scope="module")
def run(server, tmp_path_factory):
    """One full run: a SOURCES CSV plus a listing, then a second run on the same folder."""
    site, base = _serve(server)
    root = tmp_path_factory.mktemp("fetch")
    sources = write_sources(root / "sources.csv", base)
    out, cache = root / "corpus", root / "cache"
    first = fetch_reports(sources, out, listing=f"{base}/fzzf/index.html", **_options(cache))
    arrivals = list(site.arrivals)
    second = fetch_reports(sources, out, listing=f"{base}/fzzf/index.html", **_options(cache))
    return dict(base=base, out=out, first=first, second=second, arrivals=arrivals, site=site)


def _relative(account: pd.DataFrame, base: str) -> dict[str, tuple[str, str]]:
    return {row.url.replace(base, ""): (row.outcome, row.reason) for row in account.itertuples()}


def test_every_url_ends_in_the_expected_state(run):
    got = _relative(run["first"], run["base"])
    assert sorted(got) == sorted(EXPECTED)
    for url, (outcome, reason_part) in EXPECTED.items():
        assert got[url][0] == outcome, (url, got[url])
        assert reason_part in got[url][1], (url, got[url])
    assert list(run["first"].columns) == ACCOUNT_COLUMNS
    assert summarize_account(run["first"]) == (
        "14 URL(s): 7 fetched, 3 skipped (1 duplicate, 1 not a report, 1 robots), 4 failed")


def test_texts_equal_the_fixture_and_record_their_source(run):
    manifest = pd.read_csv(run["out"] / "manifest.csv", dtype=str, keep_default_na=False)
    assert list(manifest.columns[: len(FETCH_MANIFEST_COLUMNS)]) == FETCH_MANIFEST_COLUMNS
    by_url = manifest.set_index(manifest["url"].str.replace(run["base"], ""))
    assert sorted(by_url.index) == sorted(TEXTS)
    for url, (source, text) in TEXTS.items():
        row = by_url.loc[url]
        assert (run["out"] / row["path"]).read_text(encoding="utf-8") == text, url
        assert row["text_source"] == source
        assert bool(row["attachment_url"]) == (source == "attachment")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row["fetched_at"])
        assert row["status"] == "200" and len(row["sha256"]) == 64
    assert by_url.loc["/fzzf/art2.html", "encoding"] == "gb18030"  # header without charset: meta gb2312 read
    assert by_url.loc["/fzzf/moved.html", "final_url"].endswith("/fzzf/art4.html")
    assert by_url.loc["/fzzf/stub-doc.html", "attachment_url"].endswith("/files/nh2024.doc")
    assert by_url.loc["/fzzf/art1.html", "published"] == "2022-03-28"  # the page's own 发布时间
    assert by_url.loc["/fzzf/stub-pdf.html", "published"] == "2022-01-20"  # 发布日期
    # Metadata from the SOURCES CSV wins; other rows get the corpus module's inference.
    assert by_url.loc["/fzzf/art1.html", ["region", "level", "year"]].tolist() == ["示范区", "区", "2021"]
    assert by_url.loc["/fzzf/stub-docx.html", ["level", "year"]].tolist() == ["街道", "2021"]
    assert by_url.loc["/fzzf/art1.html", ["region_source", "year_source"]].tolist() == ["manifest", "manifest"]
    assert by_url.loc["/fzzf/stub-docx.html", "year_source"] not in ("", "manifest")


def test_polite_delay_robots_retry_and_page_bound(run):
    arrivals = run["arrivals"]
    paths = [p for _, p in arrivals]
    assert paths[0] == "/robots.txt" and paths.count("/robots.txt") == 1
    gaps = [b - a for (a, _), (b, _) in zip(arrivals, arrivals[1:])]
    assert min(gaps) >= DELAY * 0.95, min(gaps)
    assert "/private/art3.html" not in paths  # disallowed: never requested
    assert "/fzzf/index_3.html" not in paths and "/fzzf/never.html" not in paths  # past --max-pages 3
    assert paths.count("/fzzf/flaky.html") == 2  # 500, then 200 on retry
    assert paths.count("/fzzf/slow.html") == 2  # timed out twice (retries=1)
    assert paths.count("/fzzf/missing.html") == 1  # a 404 is not retried


def test_second_run_makes_no_requests(run):
    assert len(run["site"].arrivals) == len(run["arrivals"])
    assert run["second"].attrs["requests"] == 0
    assert _relative(run["second"], run["base"]) == _relative(run["first"], run["base"])


def test_fetched_folder_loads_with_load_corpus(run):
    corpus, ingest = load_corpus(run["out"], report=True)
    assert len(corpus) == 7
    assert set(corpus["text"]) == {text for _, text in TEXTS.values()}
    loaded = ingest[ingest["status"] == "loaded"]
    assert len(loaded) == 7
    others = ingest[ingest["status"] != "loaded"].set_index("path")["reason"]
    assert others.index.tolist() == ["fetch-account.csv", "manifest.csv"]  # named, not silently dropped
    assert others["fetch-account.csv"].startswith("fetch account")
    assert corpus.set_index("region").loc["示范区", "year"] == 2021


def test_interrupted_run_keeps_what_is_done_and_resumes(server, tmp_path):
    site, base = _serve(server)
    out, cache = tmp_path / "corpus", tmp_path / "cache"
    urls = [f"{base}/fzzf/art1.html", f"{base}/fzzf/art2.html", f"{base}/fzzf/art4.html"]
    seen: list[str] = []

    def stop_after_two(row):
        seen.append(row["url"])
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fetch_reports(urls, out, on_account=stop_after_two, **_options(cache))
    manifest = pd.read_csv(out / "manifest.csv", dtype=str)
    assert manifest["url"].tolist() == urls[:2]
    assert not list(out.glob(".*.part")) and not list(cache.glob(".*.part"))
    before = len(site.arrivals)
    account = fetch_reports(urls, out, **_options(cache))
    assert [p for _, p in site.arrivals[before:]] == ["/fzzf/art4.html"]
    assert account["outcome"].tolist() == ["fetched"] * 3
    assert len(pd.read_csv(out / "manifest.csv")) == 3


def test_retry_failed_redoes_only_failed_urls(server, tmp_path):
    site, base = _serve(server)
    urls = [f"{base}/fzzf/art1.html", f"{base}/fzzf/slow.html"]
    out, cache = tmp_path / "corpus", tmp_path / "cache"
    options = _options(cache, retries=0)
    first = fetch_reports(urls, out, **options)
    assert first["outcome"].tolist() == ["fetched", "failed"]
    assert fetch_reports(urls, out, **options).attrs["requests"] == 0
    before = len(site.arrivals)
    again = fetch_reports(urls, out, retry_failed=True, **options)
    assert [p for _, p in site.arrivals[before:]] == ["/fzzf/slow.html"]
    assert again["outcome"].tolist() == ["fetched", "failed"] and again.attrs["requests"] == 1


def test_cli_fetches_one_url(server, tmp_path, capsys):
    from lawgov_analysis.cli import main

    _, base = _serve(server)
    code = main(["fetch", f"{base}/fzzf/stub-doc.html", "--out", str(tmp_path / "one"), "--cache",
                 str(tmp_path / "cache"), "--delay", "0.2", "--quiet"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "1 URL(s): 1 fetched, 0 skipped, 0 failed; 3 request(s) made" in printed
    assert (tmp_path / "one" / "manifest.csv").is_file()


def test_user_agent_names_the_tool():
    assert re.fullmatch(r"lawgov-analysis/\S+ \(\+https://\S+\)", user_agent())


@pytest.mark.parametrize("url, links, expected", [
    ("http://x.gov.cn/col/index.html", [("http://x.gov.cn/col/index_1.html", "2")],
     ["http://x.gov.cn/col/index_1.html"]),
    ("http://x.gov.cn/col/index_1.html", [("http://x.gov.cn/col/index_7.html", "下一页")],
     ["http://x.gov.cn/col/index_7.html"]),
    ("http://x.gov.cn/list?page=1", [("http://x.gov.cn/list?page=2", "2")], ["http://x.gov.cn/list?page=2"]),
    ("http://x.gov.cn/list?page=3", [("http://x.gov.cn/list?page=2", "上一页")], []),
])
def test_pagination_successors(url, links, expected):
    assert _next_page_urls("", url, links) == expected


def test_pagination_from_create_page_script():
    html = '<script>createPageHTML(5, 2, "index", "shtml");</script>'
    assert _next_page_urls(html, "http://x.gov.cn/a/index_2.shtml", []) == ["http://x.gov.cn/a/index_3.shtml"]


def test_decoding_prefers_the_http_header_then_meta():
    page = '<html><head><meta charset="gb2312"></head><body>法治政府</body></html>'
    assert decode_html(page.encode("gbk")) == (page, "gb18030")
    assert decode_html(page.encode("utf-8"), "utf-8") == (page, "utf-8")
    assert decode_html(page.replace("gb2312", "").encode("utf-8"))[0] == page.replace("gb2312", "")


@pytest.mark.parametrize("html, expected", [
    ("<p>发布时间：2021年3月5日 来源：区政府</p>", "2021-03-05"),
    ("<div>发布日期: 2023-12-01</div>", "2023-12-01"),
    ('<html><head><meta property="article:published_time" content="2020-04-02"></head><body>x</body></html>',
     "2020-04-02"),
])
def test_published_date(html, expected):
    assert published_date(html) == expected


def test_attachment_found_by_link_text_when_url_has_no_extension():
    links = page_links('<p>附件：<a href="/down?id=7">XX区2021年法治政府建设情况报告.docx</a>'
                       '<a href="/a.html">返回</a></p>', "http://x.gov.cn/art/1.html")
    assert attachment_links(links) == [("http://x.gov.cn/down?id=7", "XX区2021年法治政府建设情况报告.docx", "docx")]


def test_read_bytes_legacy_word_and_bad_input():
    assert read_bytes(word97_doc("第一段\n第二段"), "doc") == ("第一段\n第二段", "doc (utf-16 pieces)")
    with pytest.raises(IngestError, match="legacy format, no converter"):
        read_bytes("不是OLE文件".encode("gbk"), "wps")
    with pytest.raises(ValueError, match="format must be one of"):
        read_bytes(b"x", "rtf")


SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources" / "reports.csv"


def test_starter_source_list_shape():
    table = pd.read_csv(SOURCES, dtype=str, keep_default_na=False, comment="#")
    assert list(table.columns) == ["url", "region", "province", "level", "year", "department", "title"]
    assert len(table) >= 100
    assert table["url"].is_unique
    assert table["url"].str.match(r"^https?://[^\s/]+\.[^\s]+$").all()
    assert set(table["level"]) <= set(LEVELS)
    assert set(LEVELS) <= set(table["level"])  # every level, 乡镇 and 街道 included
    years = table["year"].astype(int)
    assert years.between(2019, 2024).all() and set(years) == set(range(2019, 2025))
    assert table["province"].nunique() >= 5
    assert ((table["level"] == "部门") == (table["department"] != "")).all()
    assert (table["title"].str.len() > 0).all()


def test_a_given_httpx_client_gets_the_same_politeness(server, tmp_path):
    import httpx

    from lawgov_analysis.io.fetch import PoliteClient

    site, base = _serve(server)
    urls = [f"{base}/fzzf/art1.html", f"{base}/fzzf/art2.html", f"{base}/fzzf/art4.html"]
    settings = SETTINGS.replace(cache=tmp_path / "cache")
    with httpx.Client() as http:
        client = PoliteClient(settings, http=http)
        account = fetch_reports(urls, tmp_path / "out", client=client)
        assert not http.is_closed  # a client passed in is the caller's to close
    assert account["outcome"].tolist() == ["fetched"] * 3
    paths = [p for _, p in site.arrivals]
    assert paths == ["/robots.txt", "/fzzf/art1.html", "/fzzf/art2.html", "/fzzf/art4.html"]
    gaps = [b - a for (a, _), (b, _) in zip(site.arrivals, site.arrivals[1:])]
    assert min(gaps) >= DELAY * 0.95, gaps
    with pytest.raises(ValueError, match=r"^settings differ from the client's \(delay\)"):
        fetch_reports(urls, tmp_path / "out", client=client, settings=settings.replace(delay=0))
    with pytest.raises(TypeError, match=r"client must be a PoliteClient \(wrap an httpx.Client"):
        fetch_reports(urls, tmp_path / "out", client=httpx.Client())


def test_redirects_only_to_http_and_compressed_bodies_bounded(server, tmp_path):
    import gzip

    from werkzeug.wrappers import Response as WerkzeugResponse

    server.clear()
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    server.expect_request("/to-ftp.html").respond_with_response(
        WerkzeugResponse("", status=302, headers={"Location": "ftp://example.org/report.doc"}))
    server.expect_request("/to-file.html").respond_with_response(
        WerkzeugResponse("", status=301, headers={"Location": "file:///etc/passwd"}))
    bomb = gzip.compress(b"<html>" + b" " * (5 * 2**20) + b"</html>")
    server.expect_request("/bomb.html").respond_with_response(
        WerkzeugResponse(bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/html"}))
    base = server.url_for("").rstrip("/")
    assert len(bomb) < MAX_BYTES  # small on the wire, 5 MB once decompressed
    account = fetch_reports([f"{base}/to-ftp.html", f"{base}/to-file.html", f"{base}/bomb.html"], tmp_path / "o",
                            settings=SETTINGS.replace(cache=tmp_path / "cache", delay=0))
    assert account["reason"].tolist() == [
        "redirect to a non-http(s) URL (ftp://example.org/report.doc)",
        "redirect to a non-http(s) URL (file:///etc/passwd)",
        "larger than 195.3 KB once decompressed"]
    assert account["outcome"].tolist() == ["failed"] * 3


def test_fetch_settings_are_checked():
    with pytest.raises(ValueError, match="timeout must be > 0, got 0"):
        FetchSettings(timeout=0)
    with pytest.raises(ValueError, match="retries must be an integer >= 0, got -1"):
        FetchSettings(retries=-1)
    assert FetchSettings().limits.max_chars == 5_000_000
