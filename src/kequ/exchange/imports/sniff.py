"""What a file is before it is read: its format and its text encoding."""

from __future__ import annotations

import codecs
from pathlib import Path

from kequ.errors import KequError
from kequ.exchange.imports.fields import SAMPLE_BYTES
from kequ.i18n import t
from kequ.storage.sqlite_file import SQLITE_MAGIC

_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x7fELF",
)  # two-letter magics such as BM are left to the NUL test: a header may start with BMW

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# C0 controls other than tab, LF, VT, FF, CR: text files do not contain them.
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D}


def read_sample(path: Path) -> tuple[bytes, bool]:
    """The first bytes of the file and whether they are the whole file."""
    if not path.exists():
        raise KequError("io.file.missing", path=path)
    if path.is_dir():
        raise KequError("io.file.is_folder", path=path)
    try:
        with path.open("rb") as handle:
            sample = handle.read(SAMPLE_BYTES + 1)
    except PermissionError:
        raise KequError("io.file.unreadable", path=path) from None
    return sample[:SAMPLE_BYTES], len(sample) <= SAMPLE_BYTES


def _looks_binary(sample: bytes) -> bool:
    if sample.startswith(_BINARY_MAGIC) or b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    return controls > max(2, len(sample) // 100)


def sniff_encoding(sample: bytes, complete: bool) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK).

    Excel on Chinese Windows saves "CSV" in the ANSI code page, which is GBK; Excel's
    "CSV UTF-8" adds a BOM; "Unicode text" is UTF-16 with a BOM and tabs.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # The sample may end in the middle of a character, so decode it as a stream would.
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=complete)
        except UnicodeDecodeError:
            continue
        return encoding
    raise KequError("io.file.unknown_encoding")


def detect_format(path: Path) -> tuple[str, str | None]:
    """("csv" | "xlsx" | "vcf" | "json", text encoding or None), judged by content first.

    The name only breaks ties: a workbook renamed .csv is still read as a workbook, and a
    picture renamed .csv is refused for what it is.
    """
    sample, complete = read_sample(path)
    suffix = path.suffix.lower()
    if not sample.strip():
        raise KequError("io.file.empty", path=path)
    if sample.startswith(b"PK\x03\x04"):
        return "xlsx", None
    if sample.startswith(_OLE_MAGIC):
        raise KequError("io.file.old_excel", path=path)
    if sample.startswith(SQLITE_MAGIC):
        raise KequError("io.file.is_database", path=path)
    if suffix in {".xlsx", ".xlsm"}:
        raise KequError("io.file.xlsx_broken", path=path, detail=t("io.file.not_a_zip"))
    if sample[:2] not in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) and _looks_binary(sample):
        raise KequError("io.file.binary", path=path)
    try:
        encoding = sniff_encoding(sample, complete)
    except KequError:
        # A vCard may mix charsets property by property (CHARSET=SHIFT_JIS beside UTF-8
        # lines): its reader decodes each value itself, so the file is not refused here.
        if sample.lstrip(b" \t\r\n")[:11].upper() == b"BEGIN:VCARD":
            return "vcf", "utf-8"
        raise
    head = sample.decode(encoding, errors="ignore").lstrip("\ufeff \t\r\n")
    if not head:
        raise KequError("io.file.empty", path=path)
    if head[:11].upper() == "BEGIN:VCARD":
        return "vcf", encoding
    if suffix in {".vcf", ".vcard"}:
        raise KequError("io.file.no_cards", path=path)
    if head.startswith("{") and (suffix == ".json" or '"format"' in head[:200]):
        return "json", encoding
    if suffix == ".json":
        raise KequError("io.json.not_kequ", path=path)
    return "csv", encoding
