"""Manifests as researchers keep them: saved by Excel in GBK, with a BOM, as UTF-16 text or .xlsx; unusable
cells reported as warnings while the rest loads; the manifest we write opens in Excel and reads back the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from lawgov_analysis.io.corpus import load_corpus
from lawgov_analysis.io.manifest import is_manifest, read_manifest

OPENING = "2021年，我区坚持以习近平新时代中国特色社会主义思想为指导，全面推进依法行政，法治政府建设取得新成效。"
REPORTS = {
    "a.txt": "昌江区2021年法治政府建设工作情况报告\n" + OPENING,
    "b.txt": OPENING.replace("2021", "2020"),
    "sub/c.txt": OPENING.replace("2021", "2019").replace("我区", "我县"),
}
ROWS = [
    dict(doc_id="changjiang-2021", path="a.txt", title="", region="昌江区", region_code="", province="江西省",
         city="景德镇市", level="区", year="2021", source="区政府网站"),
    dict(doc_id="fuliang-2020", path="b.txt", title="浮梁县2020年法治政府建设报告", region="浮梁县",
         region_code="360222", province="江西省", city="景德镇市", level="县", year="2020年", source=""),
    dict(doc_id="司法局-2019", path="sub/c.txt", title="", region="景德镇市", region_code="", province="江西省",
         city="景德镇市", level="部门", year="2019", source="", department="景德镇市司法局"),
]


def _folder(root: Path) -> Path:
    for name, text in REPORTS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _xlsx(rows: list[dict], path: Path) -> None:
    """As Excel keeps it: years and region codes as numbers, empty cells empty."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    columns = list(dict.fromkeys(k for row in rows for k in row))
    sheet.append(columns)
    for row in rows:
        values = []
        for column in columns:
            value = row.get(column, "")
            if column == "region_code" and value.isdigit():
                value = int(value)
            elif column == "year" and value.isdigit():
                value = float(value)
            values.append(value or None)
        sheet.append(values)
    book.save(path)


WRITERS = {
    "utf-8": lambda table, root: table.to_csv(root / "manifest.csv", index=False, encoding="utf-8"),
    "utf-8-bom": lambda table, root: table.to_csv(root / "manifest.csv", index=False, encoding="utf-8-sig"),
    "gbk": lambda table, root: table.to_csv(root / "manifest.csv", index=False, encoding="gbk"),
    "gb18030-crlf": lambda table, root: (root / "manifest.csv").write_bytes(
        table.to_csv(index=False, lineterminator="\r\n").encode("gb18030")),
    "utf-16-tabs": lambda table, root: table.to_csv(root / "manifest.csv", index=False, sep="\t",
                                                    encoding="utf-16"),
    "xlsx": lambda table, root: _xlsx(table.to_dict("records"), root / "manifest.xlsx"),
}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    root = _folder(tmp_path_factory.mktemp("utf8"))
    WRITERS["utf-8"](pd.DataFrame(ROWS).fillna(""), root)
    return load_corpus(root, report=True)


@pytest.mark.parametrize("kind", [k for k in WRITERS if k != "utf-8"])
def test_every_encoding_gives_the_corpus_of_the_utf8_manifest(reference, kind, tmp_path):
    root = _folder(tmp_path)
    WRITERS[kind](pd.DataFrame(ROWS).fillna(""), root)
    corpus, ingest = load_corpus(root, report=True)
    expected_corpus, expected_ingest = reference
    pd.testing.assert_frame_equal(corpus, expected_corpus)
    assert (ingest["status"] != "warning").all()
    name = "manifest.xlsx" if kind == "xlsx" else "manifest.csv"
    assert ingest.replace({name: "manifest.csv"}).equals(expected_ingest)


def test_reference_corpus_takes_the_manifest_values(reference):
    corpus = reference[0].set_index("doc_id")
    assert sorted(corpus.index) == ["changjiang-2021", "fuliang-2020", "司法局-2019"]
    assert corpus.loc["fuliang-2020", ["region", "region_code", "level", "year", "title"]].tolist() == [
        "浮梁县", "360222", "县", 2020, "浮梁县2020年法治政府建设报告"]
    assert corpus.loc["司法局-2019", ["department", "level", "year"]].tolist() == ["景德镇市司法局", "部门", 2019]
    assert corpus.loc["changjiang-2021", "source"] == "区政府网站"


def test_unusable_cells_are_warnings_naming_row_column_and_value(tmp_path):
    root = _folder(tmp_path / "corpus")
    (root / "d.txt").write_text(OPENING.replace("2021", "2018"), encoding="utf-8")
    (tmp_path / "outside.txt").write_text(OPENING, encoding="utf-8")
    rows = [
        dict(doc_id="a", path="a.txt", title="", year="2021"),
        dict(doc_id="x", path="b\x00.txt", title="", year=""),
        dict(doc_id="y", path="p" * 5000 + ".txt", title="", year=""),
        dict(doc_id="z", path="../outside.txt", title="", year=""),
        dict(doc_id="w", path="/etc/passwd", title="", year=""),
        dict(doc_id="c", path="sub\\c.txt", title="", year="二〇一九"),
        dict(doc_id="a", path="b.txt", title="", year=""),
        dict(doc_id="again", path="a.txt", title="", year=""),
        dict(doc_id="gone", path="nope.txt", title="", year=""),
        dict(doc_id="d", path="d.txt", title="报告\x07标题", year=""),
        dict(doc_id="", path="", title="no path", year=""),
    ]
    pd.DataFrame(rows).to_csv(root / "manifest.csv", index=False, encoding="utf-8-sig")
    corpus, ingest = load_corpus(root, report=True)
    assert corpus["doc_id"].tolist() == ["a", "a-2", "c", "d"]  # every usable row loaded
    assert corpus.set_index("doc_id").loc["a-2", "path"] == "b.txt"
    warnings = ingest[ingest["status"] == "warning"][["path", "reason", "doc_id"]].values.tolist()
    assert warnings == [
        ["b.txt", "manifest row 8, doc_id 'a' already used by row 2; this report is 'a-2'", "a-2"],
        ["d.txt", "manifest row 11, title '报告\\x07标题' contains a control character; kept the inferred value",
         "d"],
        ["manifest.csv", "manifest row 3, path 'b\\x00.txt': contains a null byte; row not used", ""],
        ["manifest.csv", f"manifest row 4, path {'p' * 60!r} … (5,004 characters): longer than 1,024 characters; "
                         "row not used", ""],
        ["manifest.csv", "manifest row 5, path '../outside.txt': outside the corpus folder; row not used", ""],
        ["manifest.csv", "manifest row 6, path '/etc/passwd': outside the corpus folder; row not used", ""],
        ["manifest.csv", "manifest row 9, path 'a.txt': lists the same file as row 2; row not used", ""],
        ["manifest.csv", "manifest row 10, path 'nope.txt': listed in manifest but file not found; row not used",
         ""],
        ["manifest.csv", "manifest row 12 has no path; row not used", ""],
        ["sub/c.txt", "manifest row 7, year '二〇一九' is not a year; kept the inferred value", "c"],
    ]
    files = ingest[ingest["status"] != "warning"].set_index("path")["status"].to_dict()
    assert files == {"a.txt": "loaded", "b.txt": "loaded", "d.txt": "loaded", "manifest.csv": "skipped",
                     "sub/c.txt": "loaded"}
    assert corpus.set_index("doc_id").loc["c", "year"] == 2019  # inferred, the cell being unreadable


def test_manifest_that_cannot_be_read_is_one_line_naming_it(tmp_path):
    root = _folder(tmp_path)
    (root / "manifest.csv").write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ValueError, match=r"^\S*manifest.csv: cannot read the manifest \(undecodable bytes at "
                                         r"offset \d+\)$"):
        load_corpus(root)
    (root / "manifest.csv").write_text("file,year\na.txt,2021\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"manifest.csv: a manifest needs a 'path' column; it has 'file', 'year'$"):
        load_corpus(root)
    (root / "manifest.csv").unlink()
    (root / "manifest.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ValueError, match=r"manifest.xlsx: cannot read the manifest \(corrupt or truncated .xlsx"):
        load_corpus(root)


def test_manifest_file_given_directly_and_case_of_columns(tmp_path):
    root = _folder(tmp_path)
    (root / "list.csv").write_text("Path,YEAR\na.txt,2017\n", encoding="gbk")
    assert is_manifest(root / "list.csv")
    corpus, ingest = load_corpus(root / "list.csv", report=True)
    assert corpus[["doc_id", "year", "year_source"]].values.tolist() == [["a", 2017, "manifest"]]
    assert ingest["path"].tolist() == ["a.txt", "list.csv"]
    _xlsx([{"path": "b.txt", "year": "2016"}], root / "list.xlsx")
    corpus = load_corpus(root / "list.xlsx")
    assert corpus[["doc_id", "year"]].values.tolist() == [["b", 2016]]


def test_second_manifest_in_a_folder_is_named(tmp_path):
    root = _folder(tmp_path)
    pd.DataFrame(ROWS).to_csv(root / "manifest.csv", index=False)
    _xlsx(ROWS, root / "manifest.xlsx")
    _, ingest = load_corpus(root, report=True)
    assert ingest.set_index("path").loc["manifest.xlsx", "reason"] == (
        "manifest (manifest.csv is read; only one manifest per folder)")


def test_read_manifest_keeps_spreadsheet_row_numbers(tmp_path):
    (tmp_path / "m.csv").write_text("path,year,year\n\na.txt,2021,x,extra\nb.txt\n", encoding="utf-8")
    manifest = read_manifest(tmp_path / "m.csv")
    assert manifest.table.index.tolist() == [3, 4]
    assert manifest.table.to_dict("records") == [{"path": "a.txt", "year": "2021"}, {"path": "b.txt", "year": ""}]
    assert manifest.problems == [(1, "year", "year", "column 'year' appears twice; the first is used"),
                                 (3, "", "extra", "4 cells but 3 columns; extra cells ignored")]
    assert manifest.encoding == "utf-8"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_cli_manifest_writes_what_excel_opens_and_reads_back_the_same(tmp_path, suffix, capsys):
    from lawgov_analysis.cli import main

    root = _folder(tmp_path / "corpus")
    pd.DataFrame(ROWS).to_csv(tmp_path / "given.csv", index=False)
    shutil.copy(tmp_path / "given.csv", root / "manifest.csv")
    before = load_corpus(root)
    out = root / f"written{suffix}"
    assert main(["manifest", str(root), "--out", str(out)]) == 0
    assert f"wrote 3 rows to {out}" in capsys.readouterr().out
    if suffix == ".csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbfdoc_id,path,")  # UTF-8 with BOM: Excel shows Chinese
    (root / "manifest.csv").unlink()
    out.rename(root / f"manifest{suffix}")
    after = load_corpus(root)
    columns = ["doc_id", "path", "title", "region", "region_code", "province", "city", "level", "year", "source",
               "department", "text"]
    pd.testing.assert_frame_equal(after[columns], before[columns])
    assert not list(root.glob(".*.part"))


def test_written_xlsx_keeps_formula_like_text_as_text(tmp_path):
    import openpyxl

    from lawgov_analysis.io.manifest import save_manifest

    table = pd.DataFrame({"doc_id": ["a"], "path": ["a.txt"], "title": ["=HYPERLINK(\"x\")"],
                          "year": pd.array([2021], dtype="Int64")})
    save_manifest(table, tmp_path / "m.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "m.xlsx").active["C2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(\"x\")", "s")
    assert read_manifest(tmp_path / "m.xlsx").table.loc[2, "year"] == "2021"
