"""Readers within bounds: decompression bombs, lying zip headers, over-long texts are skipped with their reason,
quickly; ordinary .docx text comes back exactly as before."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from pathlib import Path

import pytest

from lawgov_analysis.io.corpus import load_corpus
from lawgov_analysis.io.readers import (
    MAX_EXPANDED_BYTES,
    MAX_TEXT_CHARS,
    IngestError,
    ReadLimits,
    extract,
    read_bytes,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
                 'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
                 'main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
PARAGRAPH = "<w:p><w:r><w:t>全年共受理行政复议案件42件，办结率100%。</w:t></w:r></w:p>"


def write_docx(path: Path, body_parts, *, repeat: int = 1) -> Path:
    """A minimal .docx whose body is ``body_parts`` written ``repeat`` times, streamed into the zip (the test
    never holds the inflated document in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w") as member:
            member.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'.encode())
            chunk = "".join(body_parts).encode("utf-8")
            block = chunk * max(1, (1 << 20) // len(chunk))
            written = 0
            while written + len(block) // len(chunk) <= repeat:
                member.write(block)
                written += len(block) // len(chunk)
            member.write(chunk * (repeat - written))
            member.write(b"</w:body></w:document>")
    return path


def test_docx_bomb_is_skipped_from_its_declared_size_in_seconds(tmp_path):
    # 300 MB of XML (the case was 600 MB from a 2.5 MB file); a few MB on disk.
    bomb = write_docx(tmp_path / "bomb.docx", [PARAGRAPH], repeat=300 * 2**20 // len(PARAGRAPH.encode()))
    assert bomb.stat().st_size < 10 * 2**20
    (tmp_path / "ok.txt").write_text("2021年法治政府建设情况。" * 5, encoding="utf-8")
    start = time.perf_counter()
    corpus, ingest = load_corpus(tmp_path, report=True)
    elapsed = time.perf_counter() - start
    reason = ingest.set_index("path").loc["bomb.docx", "reason"]
    assert reason == ".docx expands past 100 MB (300 MB); raise max_expanded_bytes to load it"
    assert corpus["doc_id"].tolist() == ["ok"]
    assert elapsed < 10, elapsed


def test_docx_text_bound_stops_while_parsing(tmp_path):
    docx = write_docx(tmp_path / "long.docx", [PARAGRAPH], repeat=2000)  # 2000 × 24 characters
    with pytest.raises(IngestError, match=r"^text longer than 10,000 characters \(10,\d{3}\); raise max_chars"):
        extract(docx.read_bytes(), "docx", limits=ReadLimits(max_chars=10_000))
    text, _ = read_bytes(docx.read_bytes(), "docx")
    assert text.split("\n") == ["全年共受理行政复议案件42件，办结率100%。"] * 2000


def _lie_about_size(data: bytes, name: bytes, size: int) -> bytes:
    """Patch the uncompressed size a zip's central directory declares for member ``name``."""
    at = data.index(b"PK\x01\x02")
    while True:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46: at + 46 + name_len] == name:
            return data[: at + 24] + struct.pack("<I", size) + data[at + 28:]
        at = data.index(b"PK\x01\x02", at + 4)


def test_zip_that_lies_about_its_size_stops_at_the_declared_size(tmp_path):
    docx = write_docx(tmp_path / "liar.docx", [PARAGRAPH], repeat=20_000)  # about 1.6 MB of XML
    data = _lie_about_size(docx.read_bytes(), b"word/document.xml", 1000)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("word/document.xml").file_size == 1000
    with pytest.raises(IngestError, match=r"^corrupt \.docx"):
        extract(data, "docx")


def test_streamed_bound_on_expansion(tmp_path):
    docx = write_docx(tmp_path / "big.docx", [PARAGRAPH], repeat=20_000)
    with pytest.raises(IngestError, match=r"^\.docx expands past 1 MB \(1\.\d MB\)"):
        extract(docx.read_bytes(), "docx", limits=ReadLimits(max_expanded_bytes=2**20))


def test_docx_tables_merged_cells_breaks_and_hyperlinks(tmp_path):
    cell = "<w:tc>{props}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"
    table = ("<w:tbl>"
             "<w:tr>" + cell.format(props='<w:tcPr><w:gridSpan w:val="2"/></w:tcPr>', text="指标")
             + cell.format(props="", text="数量") + "</w:tr>"
             "<w:tr>" + cell.format(props='<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>', text="复议")
             + cell.format(props="", text="A") + cell.format(props="", text="2件") + "</w:tr>"
             "<w:tr>" + cell.format(props="<w:tcPr><w:vMerge/></w:tcPr>", text="")
             + cell.format(props="", text="B") + cell.format(props="", text="3件") + "</w:tr>"
             "</w:tbl>")
    runs = ('<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:tab/><w:t>末</w:t><w:br w:type="page"/></w:r>'
            '<w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink><w:ins><w:r><w:t>修订</w:t></w:r></w:ins></w:p>')
    docx = write_docx(tmp_path / "t.docx", [runs, table, "<w:sectPr/>"])
    text, encoding = read_bytes(docx.read_bytes(), "docx")
    assert text.split("\n") == ["第一行", "第二行\t末链接", "指标\t数量", "复议\tA\t2件", "复议\tB\t3件"]
    assert encoding == "docx (utf-8 xml)"


def test_docx_as_python_docx_writes_it(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("标题")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并"
    table.cell(0, 2).text = "右"
    table.cell(1, 0).text = "甲"
    table.cell(1, 1).text = "乙"
    table.cell(1, 2).text = "丙"
    document.add_paragraph("正文")
    document.save(tmp_path / "d.docx")
    text, _ = read_bytes((tmp_path / "d.docx").read_bytes(), "docx")
    assert text.split("\n") == ["标题", "合并\t右", "甲\t乙\t丙", "正文"]


def test_docx_member_sizes_include_images(tmp_path):
    path = write_docx(tmp_path / "img.docx", [PARAGRAPH])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/media/image1.png", "w") as member:
            for _ in range(3):
                member.write(bytes(2**20))
    with pytest.raises(IngestError, match=r"^\.docx expands past 2 MB \(3 MB\)"):
        extract(path.read_bytes(), "docx", limits=ReadLimits(max_expanded_bytes=2 * 2**20))


def test_text_and_html_bounds():
    with pytest.raises(IngestError, match=r"^text longer than 100 characters \(120\)"):
        read_bytes(("法治" * 60).encode("utf-8"), "txt", limits=ReadLimits(max_chars=100))
    page = "<html><body><article><p>" + "法治政府建设。" * 50 + "</p></article></body></html>"
    with pytest.raises(IngestError, match=r"^HTML page expands past"):
        read_bytes(page.encode("utf-8"), "html", limits=ReadLimits(max_expanded_bytes=100))


def test_pdf_text_bound(tmp_path):
    from fpdf import FPDF

    from .test_corpus import _font

    pdf = FPDF()
    pdf.add_font("cjk", fname=_font())
    for _ in range(3):
        pdf.add_page()
        pdf.set_font("cjk", size=11)
        pdf.multi_cell(0, 8, "法治政府建设年度报告" * 10)
    pdf.output(str(tmp_path / "r.pdf"))
    data = (tmp_path / "r.pdf").read_bytes()
    assert len(read_bytes(data, "pdf")[0].replace("\n", "")) == 300
    with pytest.raises(IngestError, match=r"^text longer than 150 characters \(\d{3}\)"):
        read_bytes(data, "pdf", limits=ReadLimits(max_chars=150))


def test_limits_are_checked_and_documented_defaults():
    assert (MAX_TEXT_CHARS, MAX_EXPANDED_BYTES) == (5_000_000, 100 * 2**20)
    with pytest.raises(ValueError, match="max_chars must be a positive integer, got 0"):
        ReadLimits(max_chars=0)
    with pytest.raises(ValueError, match="max_expanded_bytes must be a positive integer"):
        load_corpus("data/reports", max_expanded_bytes=-1)
    with pytest.raises(ValueError, match="format must be one of txt, docx, pdf, html, doc, wps, got 'rtf'"):
        read_bytes(b"x", "rtf")


def test_a_parser_message_over_several_lines_is_one_reason_line(tmp_path):
    import zipfile

    from lawgov_analysis import load_corpus

    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(bad, "w") as z:   # a NUL character inside the XML: lxml's message spans two lines
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="x">\x00</w:document>')
    corpus, account = load_corpus(tmp_path, report=True)
    [reason] = account.loc[account["path"].str.endswith("bad.docx"), "reason"].tolist()
    assert corpus.empty and reason.startswith("corrupt .docx") and "\n" not in reason
