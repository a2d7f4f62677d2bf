"""Write the decompression bombs of issue 18 into a folder, to time ``lawgov-analysis ingest`` on them by hand.

Three .docx files next to one ordinary report:

- ``bomb.docx``: a few MB on disk whose ``word/document.xml`` inflates to ``--mb`` MB (default 600, the issue's
  case) — rejected from the sizes the zip declares, before anything is inflated;
- ``liar.docx``: the same XML, but the zip's central directory declares 1 KB for it — the reader stops at the
  declared size (the zip module checks the CRC) and reports a corrupt file;
- ``under.docx``: 95 MB of XML, under the expansion bound, with about 6.5 M characters of text — stopped by the
  text bound while it is parsed.

Usage::

    python benchmarks/docx_bomb.py /tmp/bombs [--mb 600]
    /usr/bin/time -v lawgov-analysis ingest /tmp/bombs      # elapsed time and "Maximum resident set size"
"""

from __future__ import annotations

import argparse
import struct
import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
PARAGRAPH = "<w:p><w:r><w:t>全年共受理行政复议案件42件，办结率100%。</w:t></w:r></w:p>".encode()


def write_docx(path: Path, megabytes: float) -> None:
    repeat = int(megabytes * 2**20) // len(PARAGRAPH)
    block = PARAGRAPH * 10_000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'.encode())
            for _ in range(repeat // 10_000):
                member.write(block)
            member.write(PARAGRAPH * (repeat % 10_000))
            member.write(b"</w:body></w:document>")


def lie(path: Path, out: Path, declared: int = 1024) -> None:
    """Copy ``path`` with the central directory declaring ``declared`` bytes for word/document.xml."""
    data = bytearray(path.read_bytes())
    at = data.index(b"PK\x01\x02")
    while True:
        name_len, extra_len = struct.unpack_from("<HH", data, at + 28)
        name = bytes(data[at + 46: at + 46 + name_len])
        if name == b"word/document.xml":
            if struct.unpack_from("<I", data, at + 24)[0] != 0xFFFFFFFF:
                struct.pack_into("<I", data, at + 24, declared)
                break
            extra = at + 46 + name_len
            end = extra + extra_len
            while extra < end:
                tag, size = struct.unpack_from("<HH", data, extra)
                if tag == 1:  # zip64 extra field: uncompressed size first
                    struct.pack_into("<Q", data, extra + 4, declared)
                extra += 4 + size
            break
        at = data.index(b"PK\x01\x02", at + 4)
    out.write_bytes(bytes(data))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--mb", type=float, default=600.0, help="size of bomb.docx's XML in MB (default 600)")
    args = parser.parse_args()
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_docx(folder / "bomb.docx", args.mb)
    lie(folder / "bomb.docx", folder / "liar.docx")
    write_docx(folder / "under.docx", 95)
    (folder / "report.txt").write_text("2021年，我区坚持依法行政，法治政府建设取得实效。\n" * 20, encoding="utf-8")
    for name in ("bomb.docx", "liar.docx", "under.docx"):
        print(f"{name}: {(folder / name).stat().st_size / 2**20:.1f} MB on disk")


if __name__ == "__main__":
    main()
