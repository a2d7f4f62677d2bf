"""Random hostile input folders: reports in every encoding and format (broken ones included), attachments,
and a manifest with random columns, cells and encoding (CSV or .xlsx) — one generator driven by a
``random.Random``, used by ``tests/test_fuzz_input.py`` (through hypothesis) and ``benchmarks/fuzz_manifests.py``.

:func:`check_load` states what must hold whatever the input: :func:`load_corpus` returns, or raises one of the
documented exceptions (``FileNotFoundError``, ``ValueError``) with a one-line message; every file under the folder
is in the ingest account; every loaded report is a row of the corpus with a unique ``doc_id``.
"""

from __future__ import annotations

import csv
import io
import random
import struct
import zipfile
from pathlib import Path

import pandas as pd

from lawgov_analysis.io.corpus import load_corpus

OPENINGS = [
    "2021年，我区坚持以习近平新时代中国特色社会主义思想为指导，全面推进依法行政，法治政府建设取得新成效。",
    "昌江区2020年法治政府建设工作情况报告\n2020年，全区共受理行政复议案件42件，办结率100%。",
    "景德镇市司法局2019年法治政府建设年度报告\n一、主要举措\n全年审查规范性文件35件。",
    "关于浮梁县2022年度法治政府建设情况的报告\n二、存在问题\n基层执法力量薄弱。",
]
NAMES = ["a", "b", "报告", "r 1", "sub/c", "sub/深/d", ".hidden/e", "f.g", "x" * 40, "manifest", "UPPER",
         "fetch-account", "tab\tname", "semi;colon", "dup", "dup"]
SUFFIXES = [".txt", ".txt", ".txt", ".docx", ".docx", ".pdf", ".html", ".htm", ".doc", ".jpg", ".csv", ".xlsx",
            ".zip", "", ".TXT", ".Docx"]
KNOWN_COLUMNS = ["doc_id", "path", "title", "author", "department", "region", "region_code", "province", "city",
                 "level", "year", "source", "parent_region", "url"]
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "big5", "xlsx"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(text: str, *, declared: int | None = None) -> bytes:
    paragraphs = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.split("\n"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{_W}"><w:body>{paragraphs}</w:body>'
                                              "</w:document>")
    data = buffer.getvalue()
    if declared is not None:  # a zip claiming its member inflates to ``declared`` bytes
        at = data.index(b"PK\x01\x02")
        data = data[: at + 24] + struct.pack("<I", declared) + data[at + 28:]
    return data


def _content(rng: random.Random, suffix: str) -> bytes:
    text = rng.choice(OPENINGS) + rng.choice(["", "\n" + rng.choice(OPENINGS), "\r\n全年办结。"])
    kind = rng.randrange(12)
    if kind == 0:
        return b""
    if kind == 1:
        return rng.randbytes(rng.randrange(1, 3000))
    if suffix.lower() == ".docx":
        return [_docx(text), _docx(text)[: rng.randrange(1, 200)], _docx(text, declared=2**31 - 1),
                _docx(text.replace("年", "\x00年"))][kind % 4]
    if suffix.lower() in (".html", ".htm"):
        return f"<html><head><meta charset='gbk'><title>{text[:20]}</title></head><body><article><p>{text}</p>" \
               "</article></body></html>".encode("gbk", "replace")
    if suffix.lower() == ".pdf":
        return b"%PDF-1.4\n" + rng.randbytes(rng.randrange(10, 500))
    encoding = rng.choice(["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "big5"])
    return text.encode(encoding, "replace")


def _cell(rng: random.Random, files: list[str]) -> str:
    choice = rng.randrange(22)
    path = rng.choice(files) if files else "a.txt"
    return [
        path, path, path, "./" + path, path.replace("/", "\\"), "../" + path, "/etc/passwd", "C:\\报告\\a.txt",
        "a\x00b.txt", "p" * rng.choice([256, 300, 5000]), "", " ", "2021", "2021年", "20x1", "2021.0", "区", "村",
        "360202", "昌江区", "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randrange(0, 30))),
        '逗号,引号"换行\n',
    ][choice]


def write_case(rng: random.Random, root: Path) -> Path:
    """Fill ``root/corpus`` with random report files and (usually) a random manifest; return the folder."""
    folder = root / "corpus"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for _ in range(rng.randrange(0, 7)):
        name = rng.choice(NAMES) + rng.choice(SUFFIXES)
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_content(rng, path.suffix))
        files.append(name)
    if rng.random() < 0.15:
        return folder
    columns = [c for c in KNOWN_COLUMNS if rng.random() < 0.4]
    if rng.random() < 0.9:
        columns.insert(rng.randrange(len(columns) + 1), rng.choice(["path", "path", "Path", " path "]))
    columns += rng.sample(["", "备注", "path", "year", "extra column", "Year"], rng.randrange(0, 3))
    rows = [[_cell(rng, files) for _ in columns] for _ in range(rng.randrange(0, 9))]
    encoding = rng.choice(ENCODINGS)
    if encoding == "xlsx":
        _write_xlsx(folder / rng.choice(["manifest.xlsx", "manifest.xlsx", "list.xlsx"]), columns, rows)
        return folder
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t" if rng.random() < 0.1 else ",")
    writer.writerow(columns)
    for row in rows:
        if rng.random() < 0.1:
            row = row + ["extra"] if rng.random() < 0.5 else row[:-1]
        writer.writerow(row)
    data = out.getvalue().encode(encoding, "replace")
    if rng.random() < 0.05:  # a damaged byte
        at = rng.randrange(len(data))
        data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1:]
    (folder / rng.choice(["manifest.csv", "manifest.csv", "manifest.csv", "other.csv"])).write_bytes(data)
    return folder


def _write_xlsx(path: Path, columns: list[str], rows: list[list[str]]) -> None:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [columns, *rows]:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) or None for v in row])  # Excel cannot hold them either
    book.save(path)


#: Exceptions load_corpus documents (each with a one-line message); anything else is a failure.
DOCUMENTED = (FileNotFoundError, ValueError)


def check_load(folder: Path) -> tuple[str, int, int]:
    """Load ``folder`` and check the invariants; returns ``(outcome, files, accounted)``.

    ``outcome`` is ``"loaded"`` or the documented exception's type name. Raises ``AssertionError`` when an
    invariant fails; any undocumented exception propagates.
    """
    on_disk = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    try:
        corpus, ingest = load_corpus(folder, report=True)
    except DOCUMENTED as exc:
        message = str(exc)
        assert message and "\n" not in message, repr(message)
        return type(exc).__name__, len(on_disk), 0
    assert set(ingest["status"]) <= {"loaded", "skipped", "duplicate", "warning"}
    rows = ingest[ingest["status"] != "warning"]
    accounted = set(rows["path"])
    missing = [p for p in on_disk if p not in accounted]
    assert not missing, f"not in the ingest account: {missing}"
    assert (rows["reason"][rows["status"] != "loaded"] != "").all()
    assert (ingest["reason"][ingest["status"] == "warning"] != "").all()
    loaded = ingest[ingest["status"] == "loaded"]
    assert sorted(loaded["doc_id"]) == sorted(corpus["doc_id"]) and corpus["doc_id"].is_unique
    assert isinstance(corpus, pd.DataFrame) and (corpus["chars"] > 0).all()
    return "loaded", len(on_disk), sum(p in accounted for p in on_disk)
