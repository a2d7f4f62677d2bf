"""Loading: the bundled sample, a zoo of awkward files, metadata inference and the ingest command."""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lawgov_analysis.io.corpus import (
    CORPUS_COLUMNS,
    decode_bytes,
    infer_metadata,
    load_corpus,
    parse_region,
)

from .conftest import SAMPLE_DIR, SAMPLE_FILE, SAMPLE_ID

PARAGRAPH = "2021年，我区坚持依法行政，全年共受理各类诉讼案件4860件，结案4519件，结案率91.87%。“放管服”改革深入推进。"
ARTICLE = [
    "昌江区2021年法治政府建设工作情况报告",
    "2021年，我区坚持以习近平新时代中国特色社会主义思想为指导，认真学习贯彻习近平法治思想，法治政府建设取得实效。",
    "一、全区法治政府建设推进情况",
    "全区共梳理权责清单2678项，政务服务事项共计1481项，新增各类市场主体9187户，其中企业1020户，个体8167户。",
    "二、存在问题及下步工作打算",
    "行政执法水平参差不齐，“三项制度”落实不够好，我们将继续加大法治政府建设工作力度，努力推动依法行政再上新台阶。",
]


def _font() -> str:
    import mplfonts

    return os.path.join(os.path.dirname(mplfonts.__file__), "fonts", "SimHei.ttf")  # only to write a test PDF


def _pdf_with_text(path: Path, lines: list[str]) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("cjk", fname=_font())
    pdf.set_font("cjk", size=11)
    pdf.multi_cell(0, 8, "\n".join(lines))
    pdf.output(str(path))


def _pdf_image_only(path: Path) -> None:
    from fpdf import FPDF
    from PIL import Image

    image = Image.new("RGB", (200, 80), "white")
    for x in range(20, 180):
        image.putpixel((x, 40), (0, 0, 0))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(buf, x=10, y=10, w=100)
    pdf.output(str(path))


def _docx(path: Path, lines: list[str], table: list[list[str]] | None = None) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(lines[0])
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    for line in lines[1:]:
        document.add_paragraph(line)
    document.save(str(path))


HTML_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>昌江区2021年法治政府建设工作情况报告</title></head>
<body>
<header><nav><ul><li><a href="/">网站首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/hdjl">互动交流</a></li></ul></nav></header>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 法治政府建设</div>
<main><article><h1>昌江区2021年法治政府建设工作情况报告</h1>
{paragraphs}
</article></main>
<footer><p>主办单位：昌江区人民政府办公室　版权所有　赣ICP备12345678号</p><p>网站标识码：3602020001</p></footer>
</body></html>"""


@pytest.fixture(scope="module")
def zoo(tmp_path_factory) -> Path:
    """A folder with one file of every kind a crawler brings home, plus a manifest row escaping the folder."""
    root = tmp_path_factory.mktemp("zoo")
    (root / "gbk.txt").write_bytes(PARAGRAPH.encode("gbk"))
    (root / "utf16.txt").write_bytes(PARAGRAPH.replace("2021", "2019").encode("utf-16"))
    (root / "utf16le-nobom.txt").write_bytes(PARAGRAPH.replace("2021", "2018").encode("utf-16-le"))
    (root / "bom.txt").write_bytes(b"\xef\xbb\xbf" + PARAGRAPH.replace("2021", "2020").encode("utf-8"))
    (root / "crlf.txt").write_bytes(PARAGRAPH.replace("2021", "2017").replace("。", "。\r\n").encode("utf-8"))
    (root / "empty.txt").write_bytes(b"")
    rng = random.Random(7)
    (root / "random.txt").write_bytes(bytes([0xFF, 0xFE, 0xFD]) + bytes(rng.randrange(256) for _ in range(2048)))
    _docx(root / "report.docx", ARTICLE, table=[["指标", "数量"], ["受理行政复议案件", "2件"]])
    good = (root / "report.docx").read_bytes()
    (root / "truncated.docx").write_bytes(good[: len(good) // 2])
    _pdf_with_text(root / "text.pdf", ARTICLE[:2])
    _pdf_image_only(root / "scan.pdf")
    (root / "page.html").write_text(HTML_PAGE.format(paragraphs="\n".join(f"<p>{p}</p>" for p in ARTICLE[1:])),
                                    encoding="utf-8")
    (root / "sub").mkdir()
    (root / "sub" / "copy-of-gbk.txt").write_bytes(PARAGRAPH.encode("utf-8"))  # same text, other encoding
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"0" * 100)
    (root.parent / "outside.txt").write_text(PARAGRAPH, encoding="utf-8")
    pd.DataFrame([
        dict(doc_id="gbk-report", path="gbk.txt", title="", region="昌江区", city="景德镇市",
             province="江西省", level="区", year="2021", source="test"),
        dict(doc_id="escape", path="../outside.txt", title="", region="", city="", province="",
             level="", year="", source="test"),
    ]).to_csv(root / "manifest.csv", index=False)
    return root


@pytest.fixture(scope="module")
def zoo_loaded(zoo):
    return load_corpus(zoo, report=True)


EXPECTED = {
    "gbk.txt": ("loaded", ""),
    "utf16.txt": ("loaded", ""),
    "utf16le-nobom.txt": ("loaded", ""),
    "bom.txt": ("loaded", ""),
    "crlf.txt": ("loaded", ""),
    "empty.txt": ("skipped", "empty file"),
    "random.txt": ("skipped", "undecodable bytes at offset"),
    "report.docx": ("loaded", ""),
    "truncated.docx": ("skipped", "corrupt or truncated .docx"),
    "text.pdf": ("loaded", ""),
    "scan.pdf": ("skipped", "no text layer (scanned PDF?)"),
    "page.html": ("loaded", ""),
    "sub/copy-of-gbk.txt": ("duplicate", "same content as gbk-report"),
    "photo.jpg": ("skipped", "not a report format (.jpg)"),
    "manifest.csv": ("skipped", "manifest, not a report"),
}


def test_zoo_every_file_is_accounted_for(zoo_loaded):
    corpus, ingest = zoo_loaded
    files = ingest[ingest["status"] != "warning"]
    assert sorted(files["path"]) == sorted(EXPECTED)
    for path, (status, reason) in EXPECTED.items():
        row = files.set_index("path").loc[path]
        assert row["status"] == status, (path, row["reason"])
        assert row["reason"].startswith(reason), (path, row["reason"])
    # The manifest row pointing outside the folder is a warning on the manifest, naming row, column and value.
    warnings = ingest[ingest["status"] == "warning"]
    assert warnings[["path", "reason"]].values.tolist() == [
        ["manifest.csv", "manifest row 3, path '../outside.txt': outside the corpus folder; row not used"]]
    assert list(corpus.columns) == CORPUS_COLUMNS
    assert corpus.attrs == {}  # the account is returned, never attached to the table


@pytest.mark.parametrize("doc_id, encoding, expected", [
    ("gbk-report", "gb2312", PARAGRAPH),  # GBK bytes of GB2312 characters: narrowest name
    ("utf16", "utf-16-le", PARAGRAPH.replace("2021", "2019")),
    ("utf16le-nobom", "utf-16-le", PARAGRAPH.replace("2021", "2018")),
    ("bom", "utf-8-sig", PARAGRAPH.replace("2021", "2020")),
    ("crlf", "utf-8", PARAGRAPH.replace("2021", "2017").replace("。", "。\n")),
])
def test_zoo_texts_come_back_exactly(zoo_loaded, doc_id, encoding, expected):
    corpus = zoo_loaded[0].set_index("doc_id")
    assert corpus.loc[doc_id, "text"] == expected
    assert corpus.loc[doc_id, "encoding"] == encoding
    assert corpus.loc[doc_id, "chars"] == len(expected)


def test_zoo_docx_keeps_paragraphs_and_tables_in_order(zoo_loaded):
    text = zoo_loaded[0].set_index("doc_id").loc["report", "text"]
    assert text.split("\n") == [ARTICLE[0], "指标\t数量", "受理行政复议案件\t2件", *ARTICLE[1:]]


def test_zoo_pdf_and_html(zoo_loaded):
    corpus = zoo_loaded[0].set_index("doc_id")
    assert corpus.loc["text", "text"].replace("\n", "") == "".join(ARTICLE[:2])
    html = corpus.loc["page", "text"]
    for paragraph in ARTICLE[1:]:
        assert paragraph in html
    for furniture in ("网站首页", "互动交流", "版权所有", "网站标识码", "当前位置"):
        assert furniture not in html
    assert corpus.loc["page", "title"] == "昌江区2021年法治政府建设工作情况报告"


def test_zoo_manifest_metadata_wins(zoo_loaded):
    row = zoo_loaded[0].set_index("doc_id").loc["gbk-report"]
    assert (row["region"], row["city"], row["province"], row["level"], row["year"]) == (
        "昌江区", "景德镇市", "江西省", "区", 2021)
    assert row["region_code"] == "360202"  # completed from the gazetteer
    assert (row["region_source"], row["level_source"], row["year_source"]) == ("manifest", "manifest", "manifest")


def test_size_limit(zoo):
    _, ingest = load_corpus(zoo / "gbk.txt", report=True, max_bytes=10)
    assert ingest["reason"].tolist() == [f"file larger than 10 bytes ({len(PARAGRAPH.encode('gbk'))} bytes)"]


def test_missing_path_or_no_reports_says_so_in_one_line(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"^load_corpus: .*nope does not exist$"):
        load_corpus(tmp_path / "nope")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(FileNotFoundError, match=r"no report files .* \(1 other file\(s\): photo.jpg\)"):
        load_corpus(tmp_path)
    (tmp_path / "a.txt").write_text(PARAGRAPH, encoding="utf-8")
    corpus, ingest = load_corpus([tmp_path / "a.txt", tmp_path / "nope"], report=True)
    assert corpus["doc_id"].tolist() == ["a"]  # one missing path in a list is accounted for, not fatal
    assert ingest.set_index("path").loc[str(tmp_path / "nope"), "reason"] == "path does not exist"


def test_skips_are_logged_in_one_line_without_report(zoo, caplog):
    import logging

    with caplog.at_level(logging.WARNING, logger="lawgov_analysis.io.corpus"):
        corpus = load_corpus(zoo)
    assert isinstance(corpus, pd.DataFrame)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("load_corpus:")]
    assert len(lines) == 1 and "8 loaded, 5 skipped, 1 duplicate" in lines[0] and "report=True" in lines[0]


def test_decode_random_bytes_names_offset():
    from lawgov_analysis.io.corpus import IngestError

    with pytest.raises(IngestError, match=r"undecodable bytes at offset \d+"):
        decode_bytes(b"\xff\xfe\xfd" * 10 + b"\x81")
    assert decode_bytes("法治".encode("gb2312")) == ("法治", "gb2312")
    assert decode_bytes("镕".encode("gbk")) == ("镕", "gbk")


def test_sample_loads_with_manifest_metadata(sample_corpus):
    assert sample_corpus["doc_id"].tolist() == [SAMPLE_ID]
    row = sample_corpus.iloc[0]
    assert (row["region"], row["city"], row["province"], row["level"], row["year"]) == (
        "昌江区", "景德镇市", "江西省", "区", 2021)
    assert row["region_code"] == "360202" and row["furniture_chars"] == 0
    assert row["title"] == "昌江区2021年法治政府建设工作情况报告"
    assert row["format"] == "txt" and row["encoding"] == "utf-8"
    assert row["text"] == SAMPLE_FILE.read_text(encoding="utf-8")
    assert row["chars"] == len(row["text"]) == 6163
    assert row["text"].endswith("来源:区政府网站")


def test_sample_without_manifest_infers_only_what_the_text_says():
    row = load_corpus(SAMPLE_FILE).iloc[0]
    assert row["doc_id"] == SAMPLE_ID
    assert (row["year"], row["level"]) == (2021, "区")  # from "2021年,我区……"
    assert (row["year_source"], row["level_source"]) == ("opening", "gazetteer")
    assert row["title"] == ""  # the text has no title line: not made up
    # No title names the government, but the report names its own documents 《昌江区…》 many times and no other 区:
    assert (row["region"], row["region_code"], row["city"], row["region_source"]) == (
        "昌江区", "360202", "景德镇市", "opening")
    assert "the only 区 named" in row["metadata_note"]


@pytest.mark.parametrize("title, region, code, city, province, level, year", [
    ("江西省景德镇市昌江区2021年法治政府建设工作情况报告", "昌江区", "360202", "景德镇市", "江西省", "区", 2021),
    ("景德镇市司法局2021年法治政府建设年度报告", "景德镇市", "360200", "景德镇市", "江西省", "部门", 2021),
    ("关于浮梁县2020年度法治政府建设情况的报告", "浮梁县", "360222", "景德镇市", "江西省", "县", 2020),
    ("杭州市西湖区人民政府2021年法治政府建设工作报告", "西湖区", "330106", "杭州市", "浙江省", "区", 2021),
    # 民族街道 is shared (江汉区 and 东胜区); the title names 江汉区, which decides it: 420103001 in the MCA table.
    ("湖北省武汉市江汉区民族街道2022年度法治政府建设情况报告", "民族街道", "420103001", "武汉市", "湖北省", "街道",
     2022),
    ("广东省2022年法治政府建设年度报告", "广东省", "440000", "", "广东省", "省", 2022),
])
def test_metadata_from_title_line(title, region, code, city, province, level, year):
    meta = infer_metadata(title + "\n正文第一段。")
    assert (meta["region"], meta["region_code"], meta["city"], meta["province"], meta["level"], meta["year"]) == (
        region, code, city, province, level, year)
    assert meta["title"] == title and meta["title_source"] == "title"


def test_parse_region_leaves_unknown_empty():
    assert parse_region("法治政府建设")["region"] == ""


def test_ingest_cli_shows_one_loaded():
    out = subprocess.run([sys.executable, "-m", "lawgov_analysis.cli", "ingest", str(SAMPLE_DIR)],
                         capture_output=True, text=True, check=True).stdout
    assert "changjiang-2021.txt" in out and "loaded" in out
    assert out.strip().splitlines()[-1].startswith("1 report file(s): 1 loaded, 0 skipped, 0 duplicate")


def test_ingest_cli_writes_parquet_and_fails_on_nothing(tmp_path):
    out = tmp_path / "corpus.parquet"
    subprocess.run([sys.executable, "-m", "lawgov_analysis.cli", "ingest", str(SAMPLE_DIR), "--out", str(out)],
                   check=True, capture_output=True)
    assert pd.read_parquet(out)["doc_id"].tolist() == [SAMPLE_ID]
    (tmp_path / "empty.txt").write_text("")
    done = subprocess.run([sys.executable, "-m", "lawgov_analysis.cli", "ingest", str(tmp_path / "empty.txt")],
                          capture_output=True, text=True)
    assert done.returncode == 1 and "empty file" in done.stdout


def test_join_metadata_keeps_rows_and_order(fixture_corpus):
    from lawgov_analysis import join_metadata

    table = pd.DataFrame({"doc_id": ["beiqu-2021", "anxian-2019", "beiqu-2021", "unknown"], "x": [1, 2, 3, 4]})
    out = join_metadata(table, fixture_corpus, ["year", "region"])
    assert out["x"].tolist() == [1, 2, 3, 4]
    assert out["year"].tolist()[:3] == [2021, 2019, 2021] and pd.isna(out["year"].iloc[3])
    assert out["region"].tolist()[:3] == ["北区", "安县", "北区"]
    with pytest.raises(ValueError, match="corpus is missing column"):
        join_metadata(table, fixture_corpus, "nope")


def test_zoo_loads_the_same_with_worker_processes(zoo, zoo_loaded):
    # every kind of file, a duplicate, skips and a manifest warning: the table and the account are the same
    corpus, ingest = load_corpus(zoo, report=True, n_jobs=2)
    pd.testing.assert_frame_equal(corpus, zoo_loaded[0])
    pd.testing.assert_frame_equal(ingest, zoo_loaded[1])
