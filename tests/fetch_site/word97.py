"""Write a minimal but real Word 97 binary document (.doc) for the fetch tests.

No Python package writes legacy .doc files and LibreOffice is not installed, so this builds one from the
published formats: an MS-CFB v3 compound file (512-byte sectors, one FAT sector) holding a ``WordDocument``
stream (a Word 97 FIB, nFib 0xC1, followed by the text as UTF-16LE) and a ``1Table`` stream with the piece
table (Clx → PlcPcd, one uncompressed piece). Checked by hand with antiword and olefile as well as legacy-doc.
"""

from __future__ import annotations

import struct

_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR = 512
_TEXT_AT = 0x400


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\0" * (size - len(data))


def _word_document(text: str) -> tuple[bytes, bytes]:
    body = text.replace("\n", "\r")
    if not body.endswith("\r"):
        body += "\r"
    encoded = body.encode("utf-16-le")
    ccp = len(encoded) // 2
    fib = bytearray(_TEXT_AT)
    struct.pack_into("<HHHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x0804, 0)
    struct.pack_into("<H", fib, 0x0A, 0x0200)            # fWhichTblStm: the table stream is 1Table
    struct.pack_into("<H", fib, 0x0C, 0x00BF)            # nFibBack
    struct.pack_into("<II", fib, 0x18, _TEXT_AT, _TEXT_AT + len(encoded))  # fcMin, fcMac
    struct.pack_into("<H", fib, 0x20, 14)                # csw
    struct.pack_into("<H", fib, 0x3E, 22)                # cslw
    struct.pack_into("<I", fib, 0x40, _TEXT_AT + len(encoded))  # cbMac
    struct.pack_into("<I", fib, 0x4C, ccp)               # ccpText
    struct.pack_into("<H", fib, 0x98, 0x5D)              # cbRgFcLcb
    clx = b"\x02" + struct.pack("<I", 16) + struct.pack("<II", 0, ccp) + struct.pack("<HIH", 0, _TEXT_AT, 0)
    struct.pack_into("<II", fib, 0x1A2, 0, len(clx))     # fcClx, lcbClx (in 1Table)
    word = bytes(fib) + encoded
    return _pad(word, max(4096, -(-len(word) // _SECTOR) * _SECTOR)), _pad(clx, 4096)


def _entry(name: str, kind: int, *, left=_NOSTREAM, right=_NOSTREAM, child=_NOSTREAM, start=_END, size=0) -> bytes:
    raw = name.encode("utf-16-le") + b"\0\0" if name else b""
    entry = bytearray(128)
    entry[: len(raw)] = raw
    struct.pack_into("<HBB", entry, 64, len(raw), kind, 1)
    struct.pack_into("<III", entry, 68, left, right, child)
    struct.pack_into("<II", entry, 116, start, size)
    return bytes(entry)


def word97_doc(text: str) -> bytes:
    """The bytes of a .doc whose main text is ``text`` (paragraphs separated by newlines)."""
    word, table = _word_document(text)
    n_word, n_table = len(word) // _SECTOR, len(table) // _SECTOR
    word_start, table_start = 2, 2 + n_word
    fat = [_FATSECT, _END]
    for first, count in ((word_start, n_word), (table_start, n_table)):
        fat += [first + i + 1 for i in range(count - 1)] + [_END]
    assert len(fat) <= _SECTOR // 4
    fat += [_FREE] * (_SECTOR // 4 - len(fat))
    directory = (
        _entry("Root Entry", 5, child=1)
        + _entry("WordDocument", 2, left=2, start=word_start, size=len(word))
        + _entry("1Table", 2, start=table_start, size=len(table))
        + _entry("", 0)
    )
    header = bytearray(_SECTOR)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x003E, 0x0003, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, _END, 0, _END, 0)
    struct.pack_into("<I", header, 0x4C, 0)
    for i in range(1, 109):
        struct.pack_into("<I", header, 0x4C + 4 * i, _FREE)
    return bytes(header) + struct.pack(f"<{_SECTOR // 4}I", *fat) + directory + word + table
