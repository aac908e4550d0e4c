"""Bringing customers in from the files salespeople already have: Excel, CSV, phone contacts.

An import runs in three phases so that it either completes or changes nothing:

1. read the file as a stream and check every row (nothing is written yet);
2. plan the duplicates, against the database and within the file;
3. write every accepted row, and every merge, in one transaction.

A problem with the whole file (binary, empty, unknown encoding, no name column) is a
``KequError`` raised before anything is written. A problem with one row is a
``RowError`` naming the line, the column as the user's file calls it, and the fix; only
that row stays out, and the rejected rows can be written to a CSV the user corrects and
imports again. A JSON file made by ``kequ export --format json`` goes back, whole and
unchanged, into an empty database.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from kequ.domain.calendar.lunar import AnnualDate, DateInputError, parse_lunar_date, parse_solar_date
from kequ.domain.validation import (
    MAX_NAME,
    MAX_NOTE,
    MAX_SHORT,
    TEXT_FIELDS,
    check_email,
    check_phone,
    clean_text,
    split_list,
)
from kequ.errors import KequError, user_message
from kequ.i18n import t
from kequ.storage import clock

__all__ = [
    "FIELDS",
    "IGNORE",
    "DuplicateRow",
    "ImportReport",
    "Preview",
    "Progress",
    "RejectedRow",
    "RowError",
    "detect_format",
    "guess_field",
    "import_file",
    "merge_customers",
    "parse_mapping",
    "preview_import",
    "write_error_report",
]

# Called as progress(phase, done, total): phase is "read" (done/total in bytes or rows)
# or "write" (rows); total is None when unknown.
Progress = Callable[[str, int, int | None], None]

FIELDS: tuple[str, ...] = (
    "name",
    "honorific",
    "company",
    "title",
    "phones",
    "wechat",
    "email",
    "city",
    "district",
    "address",
    "birthday",
    "lunar_birthday",
    "tier",
    "disc",
    "tags",
    "notes",
    "source",
    "interests",
)
IGNORE = "-"
# Several columns may feed these (手机 and 办公电话); the rest take the first column only.
_MULTI = frozenset({"phones", "tags", "notes"})
# Plain text columns an import reads, with the same length limits as the profile form.
_TEXT_COLUMNS = ("honorific", "company", "title", "wechat", "city", "district", "address", "source", "interests")
SAMPLE_BYTES = 64 * 1024
_PROGRESS_EVERY = 500

# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class RowError:
    """One reason a row stayed out. ``column`` is the header as the user's file says it."""

    line: int
    column: str
    value: str
    reason: str
    key: str  # the catalogue key of the reason, for a screen that words it itself
    table: str = ""  # for a JSON export: the table, and ``line`` is the row's number in it


@dataclass(frozen=True, slots=True)
class DuplicateRow:
    """A row that matched a customer already known, or an earlier row of the file."""

    line: int
    name: str
    by: str  # "phone" | "wechat" | "email" | "name_company"
    action: str  # "skipped" | "merged"
    customer_id: int | None = None  # the existing customer it matched (the one kept)
    other_line: int | None = None  # or the earlier line of the same file
    absorbed_ids: tuple[int, ...] = ()  # existing customers merged into customer_id because of it


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A refused row as it was read, for the report the user fixes and imports again."""

    line: int
    values: dict[str, str]


@dataclass
class ImportReport:
    path: str
    format: str  # "csv" | "xlsx" | "vcf" | "json"
    dry_run: bool
    encoding: str | None = None
    rows: int = 0  # data rows read, blank rows not counted
    added: int = 0
    merged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[DuplicateRow] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)  # column -> field ("-" ignored)
    to_notes: list[str] = field(default_factory=list)  # unknown columns kept in the notes
    customer_ids: list[int] = field(default_factory=list)  # the new customers (not in a dry run)
    tables: dict[str, int] = field(default_factory=dict)  # rows per table (JSON imports)
    backup: str | None = None  # the copy taken before writing into a non-empty database
    report_file: str | None = None
    rejected: list[RejectedRow] = field(default_factory=list, repr=False)

    @property
    def rejected_rows(self) -> int:
        return len({(error.table, error.line) for error in self.errors})

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values; the rejected rows themselves go to the report file."""
        out = asdict(self)
        out.pop("rejected")
        out.pop("customer_ids")
        out["rejected_rows"] = self.rejected_rows
        return out


# ------------------------------------------------------------------ format sniffing

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
_SQLITE_MAGIC = b"SQLite format 3\x00"
# C0 controls other than tab, LF, VT, FF, CR: text files do not contain them.
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D}


def _read_sample(path: Path) -> tuple[bytes, bool]:
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
    sample, complete = _read_sample(path)
    suffix = path.suffix.lower()
    if not sample.strip():
        raise KequError("io.file.empty", path=path)
    if sample.startswith(b"PK\x03\x04"):
        return "xlsx", None
    if sample.startswith(_OLE_MAGIC):
        raise KequError("io.file.old_excel", path=path)
    if sample.startswith(_SQLITE_MAGIC):
        raise KequError("io.file.is_database", path=path)
    if suffix in {".xlsx", ".xlsm"}:
        raise KequError("io.file.xlsx_broken", path=path, detail=t("io.file.not_a_zip"))
    if sample[:2] not in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) and _looks_binary(sample):
        raise KequError("io.file.binary", path=path)
    encoding = sniff_encoding(sample, complete)
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


# --------------------------------------------------------------------- raw readers

_DELIMITERS = (",", "\t", ";", "|")


def _delimiter(sample_text: str) -> str:
    """The separator Excel used: whichever appears most often in the first real line."""
    for line in sample_text.splitlines():
        if line.strip(" ,;\t|\ufeff"):
            counts = {d: line.count(d) for d in _DELIMITERS}
            best = max(counts, key=lambda d: counts[d])
            return best if counts[best] else ","
    return ","


def _text_lines(raw: IO[bytes], encoding: str) -> Iterator[str]:
    """The file's lines, decoded one by one, line endings kept (the csv module wants them).

    Decoding per line, not per buffer, puts a decoding error on its true line number; it
    is safe because the byte \\n never occurs inside a UTF-8 or GB18030 character.
    UTF-16 has no such property and goes through a text stream instead.
    """
    if encoding == "utf-16":
        yield from io.TextIOWrapper(raw, encoding=encoding, newline="")
        return
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    for number, chunk in enumerate(raw, start=1):
        try:
            text = chunk.decode(codec)
        except UnicodeDecodeError:
            raise KequError("io.file.mixed_encoding", line=number, encoding=_encoding_name(encoding)) from None
        yield text.lstrip("\ufeff") if number == 1 else text


def _csv_rows(path: Path, encoding: str, progress: Progress | None) -> Iterator[tuple[int, list[str]]]:
    sample, _ = _read_sample(path)
    delimiter = _delimiter(sample.decode(encoding, errors="ignore"))
    total = path.stat().st_size
    with path.open("rb") as raw:
        reader = csv.reader(_text_lines(raw, encoding), delimiter=delimiter)
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError:
                raise KequError("io.file.mixed_encoding", line=start, encoding=_encoding_name(encoding)) from None
            except csv.Error as error:
                raise KequError("io.file.csv_broken", line=start, detail=str(error)) from None
            if progress is not None and reader.line_num % _PROGRESS_EVERY == 0:
                progress("read", raw.tell(), total)
            yield start, row
        if progress is not None:
            progress("read", total, total)


def _encoding_name(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "gb18030": "GBK/GB18030", "utf-16": "UTF-16"}.get(
        encoding, encoding
    )


def _cell_text(value: object) -> str:
    """What a spreadsheet cell shows, as text: 13800138000 not 13800138000.0."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e17 else repr(value)
    return str(value)


def _xlsx_rows(path: Path, progress: Progress | None) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    # A handle, not the name: openpyxl judges by the extension, and a workbook renamed .csv
    # is still a workbook.
    handle = path.open("rb")
    try:
        # data_only: the values Excel showed, not the formulas behind them.
        book = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        handle.close()
        raise KequError("io.file.xlsx_broken", path=path, detail=str(error) or type(error).__name__) from None
    try:
        if not book.worksheets:
            raise KequError("io.file.empty", path=path)
        sheet = book.worksheets[0]
        total = sheet.max_row
        # Some programs write a wrong dimension (A1:A1); forgetting it reads every cell.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if progress is not None and number % _PROGRESS_EVERY == 0:
                progress("read", number, total)
            yield number, [_cell_text(v) for v in values]
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise KequError("io.file.xlsx_broken", path=path, detail=str(error) or type(error).__name__) from None
    finally:
        book.close()
        handle.close()


# ------------------------------------------------------------------ column mapping

_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "name": (
        "姓名", "名字", "客户姓名", "联系人", "联系人姓名", "全名", "客户", "客户名称", "姓名全称",
        "name", "fullname", "full name", "contact", "contact name", "display name",
    ),
    "honorific": ("称呼", "尊称", "怎么称呼", "昵称", "honorific", "salutation", "address as", "nickname"),
    "company": (
        "公司", "单位", "公司名称", "工作单位", "企业", "企业名称", "客户公司", "所在公司", "单位名称",
        "company", "organization", "organisation", "org", "employer",
    ),
    "title": ("职位", "职务", "头衔", "岗位", "title", "job title", "position", "role"),
    "phones": (
        "手机", "手机号", "手机号码", "电话", "电话号码", "联系电话", "联系方式", "办公电话", "座机",
        "移动电话", "固定电话", "住宅电话", "工作电话",
        "mobile", "phone", "phones", "tel", "telephone", "cell", "mobile phone", "phone number", "work phone",
    ),
    "wechat": ("微信", "微信号", "微信id", "wechat", "weixin", "wechat id", "wx"),
    "email": ("邮箱", "电子邮箱", "电子邮件", "邮件", "邮箱地址", "email", "e-mail", "mail", "email address"),
    "city": ("城市", "地区", "所在城市", "所在地", "所在地区", "城市地区", "city", "region", "location"),
    "district": ("区县", "区", "县区", "district", "county"),
    "address": ("地址", "详细地址", "联系地址", "公司地址", "办公地址", "address", "street"),
    "birthday": (
        "生日", "出生日期", "公历生日", "阳历生日", "新历生日", "出生年月日", "生日公历",
        "birthday", "birth date", "date of birth", "dob", "bday",
    ),
    "lunar_birthday": ("农历生日", "阴历生日", "旧历生日", "生日农历", "lunar birthday", "lunar bday"),
    "tier": ("等级", "级别", "客户等级", "客户级别", "分级", "客户分级", "重要程度", "tier", "level", "grade", "class"),
    "disc": (
        "性格", "性格类型", "类型", "性格分类", "disc", "disc类型", "个性", "personality", "type",
    ),
    "tags": ("标签", "分组", "客户标签", "tags", "tag", "labels", "group", "groups", "categories"),
    "notes": ("备注", "说明", "备忘", "描述", "其他", "notes", "note", "remark", "remarks", "comment", "comments"),
    "source": ("来源", "客户来源", "渠道", "获客渠道", "source", "channel", "lead source"),
    "interests": ("兴趣", "爱好", "兴趣爱好", "interests", "hobbies", "hobby"),
    # Counters and our own report columns carry nothing to keep.
    IGNORE: ("序号", "编号", "行号", "原行号", "导入错误", "id", "no", "line", "import errors", "#"),
}  # fmt: skip
# Header words that name a person when alone but the company beside a 联系人 column.
_SECOND_CHOICE = {"客户名称": "company", "客户": "company"}
_BRACKETS = re.compile(r"[(（\[【<《].*?[)）\]】>》]")
_HEADER_NOISE = re.compile(r"[\s*:：_\-.·/]+")


def _norm_header(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).strip().lower().lstrip("\ufeff")
    s = _BRACKETS.sub("", s)
    s = _HEADER_NOISE.sub("", s)
    # 手机1, 手机2, 电话 2: numbered copies of one column.
    return s.rstrip("0123456789") or s


_HEADER_LOOKUP = {_norm_header(word): name for name, words in _HEADER_WORDS.items() for word in words}
_FIELD_LABELS_ZH = {
    "name": "姓名",
    "honorific": "称呼",
    "company": "公司",
    "title": "职位",
    "phones": "手机",
    "wechat": "微信",
    "email": "邮箱",
    "city": "城市",
    "district": "区县",
    "address": "地址",
    "birthday": "生日",
    "lunar_birthday": "农历生日",
    "tier": "等级",
    "disc": "性格",
    "tags": "标签",
    "notes": "备注",
    "source": "来源",
    "interests": "兴趣",
}


def guess_field(header: str) -> str | None:
    """The customer field a column header names (Chinese or English), "-" to skip, or None."""
    return _HEADER_LOOKUP.get(_norm_header(header))


def parse_mapping(text: str) -> dict[str, str]:
    """``姓名=name,手机=phones,QQ=-`` as {column: field}; a field may also be named in Chinese."""
    out: dict[str, str] = {}
    for item in split_list(text.replace("，", ",")):
        column, sep, target = item.partition("=")
        column, target = column.strip(), target.strip()
        if not sep or not column or not target:
            raise KequError("io.mapping.bad_item", item=item)
        if target.lower() in {"-", "ignore", "skip", "忽略", "不导入"}:
            out[column] = IGNORE
            continue
        found = target if target in FIELDS else guess_field(target)
        if found is None or found == IGNORE:
            raise KequError("io.mapping.unknown_field", field=target, fields=", ".join(FIELDS))
        out[column] = found
    return out


@dataclass(frozen=True, slots=True)
class _Layout:
    """What each column of the file feeds: a field, IGNORE, or None (kept in the notes)."""

    labels: tuple[str, ...]
    targets: tuple[str | None, ...]


def _layout(headers: list[str], explicit: Mapping[str, str | None] | None) -> _Layout:
    labels = tuple(h.strip().lstrip("\ufeff") for h in headers)
    guessed: list[str | None] = []
    given = {k.strip(): v for k, v in (explicit or {}).items()}
    for label in labels:
        if label in given:
            guessed.append(given[label])
        elif not label:
            guessed.append(None)
        else:
            guessed.append(guess_field(label))
    taken: set[str] = set()
    # A 联系人 column claims the name; 客户名称 beside it then means the company.
    for i, label in enumerate(labels):
        second = _SECOND_CHOICE.get(_norm_header(label))
        if second and label not in given and guessed[i] == "name":
            others = [j for j, g in enumerate(guessed) if g == "name" and j != i]
            if others and second not in guessed:
                guessed[i] = second
    targets: list[str | None] = [None] * len(labels)
    # The columns the user named are placed first, so a choice beats a guess: with
    # 称呼=name, the 姓名 column guessed as the name goes to the notes instead.
    order = sorted(range(len(labels)), key=lambda i: labels[i] not in given)
    for i in order:
        target = guessed[i]
        if target in (None, IGNORE) or target in _MULTI:
            targets[i] = target
        elif target in taken:
            targets[i] = None  # a second 城市 column: kept in the notes, never dropped
        else:
            taken.add(target)
            targets[i] = target
    return _Layout(labels, tuple(targets))


def _is_header(cells: list[str], explicit: Mapping[str, str | None] | None) -> bool:
    stripped = [c.strip().lstrip("\ufeff") for c in cells]
    if explicit:
        return all(column in stripped for column in explicit)
    return "name" in _layout(cells, None).targets


# ------------------------------------------------------------------- row checking


@dataclass
class _Row:
    line: int
    values: dict[str, list[tuple[str, str]]]  # field -> [(column label, text)]
    extras: list[tuple[str, str]]  # unknown columns, kept as "label：value" in the notes
    raw: dict[str, str]  # as read, for the error report


@dataclass(eq=False)
class _Candidate:
    """A checked row: the customer's fields, ready to insert or to merge."""

    line: int
    data: dict[str, Any]
    dates: list[AnnualDate]
    into_row: _Candidate | None = None  # merged into an earlier row of the file
    into_db: int | None = None  # merged into an existing customer


_TIER_WORDS = {
    "key": ("key", "关键", "关键客户", "重要", "重要客户", "核心", "核心客户", "大客户", "vip", "a", "a类", "a级"),
    "potential": ("potential", "潜力", "潜力客户", "潜在", "潜在客户", "b", "b类", "b级"),
    "regular": ("regular", "常规", "常规客户", "普通", "普通客户", "一般", "一般客户", "c", "c类", "c级"),
    "temporary": ("temporary", "临时", "临时客户", "一次性", "one-off", "oneoff", "d", "d类", "d级"),
}  # fmt: skip
_DISC_WORDS = {
    "D": ("d", "d型", "力量型", "力量", "支配型", "掌控型", "老虎", "老虎型", "dominance", "driver"),
    "I": ("i", "i型", "活泼型", "活泼", "影响型", "社交型", "孔雀", "孔雀型", "influence", "influencer"),
    "S": ("s", "s型", "和平型", "和平", "稳健型", "支持型", "考拉", "考拉型", "steadiness", "steady"),
    "C": ("c", "c型", "完美型", "完美", "谨慎型", "分析型", "猫头鹰", "猫头鹰型", "conscientiousness", "careful"),
}  # fmt: skip


def _norm_word(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


_TIER_LOOKUP = {_norm_word(w): tier for tier, words in _TIER_WORDS.items() for w in words}
_DISC_LOOKUP = {_norm_word(w): disc for disc, words in _DISC_WORDS.items() for w in words}
# What Excel itself would run: =SUM(, =A1, +cmd|' /C calc'!A0. A phone like +86 138 is not one.
_FORMULA = re.compile(r"^[=+\-@]\s*(?:[A-Za-z_][A-Za-z0-9_.]*\s*\(|\$?[A-Za-z]{1,3}\$?\d+\b|.*\|.*!)")
# Excel showing a long number as 1.38E+10 has already thrown the digits away.
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d+$")
_PHONE_SPLIT = re.compile(r"[,，、;；/\n]+")
_DATE_WITH_TIME = re.compile(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_LUNAR_PREFIXES = ("农历", "阴历", "旧历", "農曆", "陰曆")
# The neutralising quote our own export put before a leading = + - @.
_NEUTRALISED = re.compile(r"^'(?=[=+\-@\t\r])")


def _problem(line: int, column: str, value: str, error: Exception) -> RowError:
    key = getattr(error, "key", "io.row.invalid")
    return RowError(line, column, value, user_message(error) or str(error), key)


def _check_row(row: _Row, spreadsheet: bool = True) -> tuple[_Candidate | None, list[RowError]]:
    errors: list[RowError] = []
    line = row.line
    clean: dict[str, list[tuple[str, str]]] = {}
    flagged: set[str] = set()
    for name, items in row.values.items():
        for label, text in items:
            text = text.strip()
            # A quote before = + - @ says "this is text": it is how spreadsheets (and our
            # export) keep such a value from running, so it is data, not a formula.
            quoted = _NEUTRALISED.match(text) is not None
            if quoted:
                text = text[1:]
            if not text:
                continue
            # Only a spreadsheet runs formulas; in a contact card "=..." is just text.
            if spreadsheet and not quoted and _FORMULA.match(text):
                errors.append(RowError(line, label, text, t("io.row.formula", column=label), "io.row.formula"))
                flagged.add(name)
                continue
            clean.setdefault(name, []).append((label, text))

    def first(name: str) -> tuple[str, str]:
        items = clean.get(name)
        return items[0] if items else (_column_label(row, name), "")

    data: dict[str, Any] = {}
    label, text = first("name")
    try:
        data["name"] = clean_text(text, MAX_NAME, label)
        if not data["name"] and "name" not in flagged:  # a refused formula is reason enough
            raise KequError("input.empty_name")
    except KequError as error:
        errors.append(_problem(line, label, text, error))
    for name in _TEXT_COLUMNS:
        label, text = first(name)
        try:
            data[name] = clean_text(text, TEXT_FIELDS[name], label)
        except KequError as error:
            errors.append(_problem(line, label, text, error))

    phones: list[str] = []
    for label, text in clean.get("phones", []):
        for piece in _PHONE_SPLIT.split(text):
            piece = unicodedata.normalize("NFKC", piece).strip()
            if piece.lower().startswith("tel:"):
                piece = piece[4:]
            if _SCIENTIFIC.match(piece):
                errors.append(RowError(line, label, piece, t("io.row.phone_scientific"), "io.row.phone_scientific"))
                continue
            piece = piece.translate(_PHONE_TIDY).strip()
            if not piece:
                continue
            try:
                phone = check_phone(piece)
            except KequError as error:
                errors.append(_problem(line, label, piece, error))
                continue
            if phone and phone not in phones:
                phones.append(phone)
    data["phones"] = phones

    notes: list[str] = [text for _, text in clean.get("notes", [])]
    label, text = first("email")
    emails = split_list(text.replace(" ", ",")) if text else []
    data["email"] = ""
    for i, address in enumerate(emails):
        try:
            checked = check_email(address)
        except KequError as error:
            errors.append(_problem(line, label, address, error))
            continue
        if i == 0:
            data["email"] = checked
        else:
            notes.append(f"{label}：{checked}")

    label, text = first("tier")
    data["tier"] = None
    if text:
        data["tier"] = _TIER_LOOKUP.get(_norm_word(text))
        if data["tier"] is None:
            errors.append(RowError(line, label, text, t("io.row.bad_tier", value=text), "io.row.bad_tier"))
    label, text = first("disc")
    data["disc"] = None
    if text:
        data["disc"] = _DISC_LOOKUP.get(_norm_word(text))
        if data["disc"] is None:
            errors.append(RowError(line, label, text, t("io.row.bad_disc", value=text), "io.row.bad_disc"))

    tags: list[str] = []
    for label, text in clean.get("tags", []):
        for piece in split_list(text):
            try:
                tag = clean_text(piece, MAX_SHORT, label)
            except KequError as error:
                errors.append(_problem(line, label, piece, error))
                continue
            if tag and tag not in tags:
                tags.append(tag)
    data["tags"] = tags

    dates: list[AnnualDate] = []
    for name in ("birthday", "lunar_birthday"):
        label, text = first(name)
        if not text:
            continue
        match = _DATE_WITH_TIME.match(text)
        value = match.group(1) if match else text
        lunar = name == "lunar_birthday" or value.startswith(_LUNAR_PREFIXES)
        try:
            try:
                annual = parse_lunar_date(value) if lunar else parse_solar_date(value)
            except DateInputError as error:
                # 八月十五 under 生日 means the lunar date to nearly everyone who writes it.
                if error.key != "date.solar_looks_lunar":
                    raise
                annual = parse_lunar_date(value)
        except DateInputError as error:
            errors.append(_problem(line, label, text, error))
            continue
        if annual not in dates:
            dates.append(annual)

    notes.extend(f"{label}：{text}" for label, text in row.extras if text.strip())
    label = _column_label(row, "notes")
    try:
        data["notes"] = clean_text("\n".join(notes), MAX_NOTE, label)
    except KequError as error:
        errors.append(_problem(line, label, "", error))
    if errors:
        return None, errors
    return _Candidate(line, data, dates), []


_PHONE_TIDY = str.maketrans({"(": " ", ")": " ", "（": " ", "）": " ", ".": "-", "\u3000": " "})


def _column_label(row: _Row, name: str) -> str:
    items = row.values.get(name)
    if items:
        return items[0][0]
    return t(f"io.col.{name}") if name in ("birthday", "lunar_birthday") else t(f"field.{name}")


# ------------------------------------------------------------------ tabular files


def _tabular(
    rows: Iterator[tuple[int, list[str]]], explicit: Mapping[str, str | None] | None, report: ImportReport
) -> Iterator[_Row]:
    """Find the header (title rows above it are skipped), then map every data row."""
    layout: _Layout | None = None
    waiting: list[tuple[int, list[str]]] = []
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if layout is None:
            waiting.append((line, cells))
            if _is_header(cells, explicit):
                layout = _layout(cells, explicit)
                if "name" not in layout.targets:
                    raise KequError("io.file.no_name_column", columns=_columns_text(cells))
                _describe_layout(layout, report)
            elif len(waiting) >= 10:
                break
            continue
        yield _map_row(line, cells, layout)
    if layout is None:
        if not waiting:
            raise KequError("io.file.empty", path=report.path)
        if explicit:
            missing = [c for c in explicit if c not in [x.strip() for x in waiting[0][1]]]
            raise KequError(
                "io.mapping.unknown_column", column="、".join(missing), columns=_columns_text(waiting[0][1])
            )
        raise KequError("io.file.no_name_column", columns=_columns_text(waiting[0][1]))


def _columns_text(cells: list[str]) -> str:
    shown = [c.strip() for c in cells if c.strip()][:12]
    return "、".join(shown) or "—"


def _map_row(line: int, cells: list[str], layout: _Layout) -> _Row:
    values: dict[str, list[tuple[str, str]]] = {}
    extras: list[tuple[str, str]] = []
    raw: dict[str, str] = {}
    width = len(layout.labels)
    for i, cell in enumerate(cells):
        label = layout.labels[i] if i < width and layout.labels[i] else t("io.row.column_n", n=i + 1)
        text = cell if isinstance(cell, str) else _cell_text(cell)
        # Two columns both called 备注 must both reach the report; the suffix reads back the same.
        raw[label if label not in raw else f"{label}({i + 1})"] = text
        target = layout.targets[i] if i < width else None
        if target == IGNORE:
            continue
        if target is None:
            if text.strip():
                extras.append((label, text.strip()))
            continue
        values.setdefault(target, []).append((label, text))
    return _Row(line, values, extras, raw)


def _describe_layout(layout: _Layout, report: ImportReport) -> None:
    for label, target in zip(layout.labels, layout.targets, strict=True):
        if not label:
            continue
        if target is None:
            report.to_notes.append(label)
        else:
            report.mapping[label] = target


# ------------------------------------------------------------------------- vCards

_SKIPPED_PROPERTY = re.compile(r"^(?:[A-Za-z0-9-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)


def _card_blocks(path: Path, encoding: str, progress: Progress | None) -> Iterator[tuple[int, list[str]]]:
    """(line of BEGIN, property lines) per card, streamed, pictures already dropped.

    Photos are most of a phone's export and nothing kequ keeps; skipping them here saves
    decoding megabytes of base64. Quoted-printable soft line breaks (Android's vCard
    2.1 names end a line with "=") are joined, because vobject does not.
    """
    total = path.stat().st_size
    with path.open("rb") as raw:
        card: list[str] | None = None
        start = 0
        skipping = False
        joining = False
        for number, physical in enumerate(_text_lines(raw, encoding), start=1):
            line = physical.rstrip("\r\n")
            if progress is not None and number % (_PROGRESS_EVERY * 10) == 0:
                progress("read", raw.tell(), total)
            if joining and card:
                card[-1] = card[-1][:-1] + line
                joining = card[-1].endswith("=")
                continue
            if skipping:
                if line[:1] in (" ", "\t") or not line.strip():
                    continue
                skipping = False
            upper = line.strip().upper()
            if upper == "BEGIN:VCARD":
                card, start = [], number
                continue
            if upper == "END:VCARD":
                if card is not None:
                    yield start, card
                card = None
                continue
            if card is None:
                continue
            if _SKIPPED_PROPERTY.match(line):
                skipping = True
                continue
            card.append(line)
            head = line.split(":", 1)[0].upper()
            joining = "QUOTED-PRINTABLE" in head and line.endswith("=")
        if card:
            yield start, card  # a last card without END:VCARD is still read
    if progress is not None:
        progress("read", total, total)


_CJK = re.compile(r"[\u3400-\u9fff]")


def _card_row(start: int, lines: list[str]) -> _Row | RowError:
    import vobject

    body = "BEGIN:VCARD\r\n" + "\r\n".join(lines) + "\r\nEND:VCARD\r\n"
    try:
        return _map_card(start, vobject.readOne(body, ignoreUnreadable=False))
    except Exception as error:  # vobject raises ParseError, ValueError, odd value shapes
        detail = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        return RowError(start, "vCard", "", t("io.row.vcard_broken", detail=detail), "io.row.vcard_broken")


def _map_card(start: int, card: Any) -> _Row:
    values: dict[str, list[tuple[str, str]]] = {}
    extras: list[tuple[str, str]] = []

    def put(target: str, label: str, value: object) -> None:
        text = _card_text(value)
        if text:
            values.setdefault(target, []).append((label, text))

    contents = card.contents
    name = ""
    for prop in contents.get("n", []):
        family, given = _card_text(prop.value.family), _card_text(prop.value.given)
        # Chinese names read surname first, with no space; N keeps the parts apart.
        if _CJK.search(family + given):
            name = family + given
    if not name:
        name = next((_card_text(p.value) for p in contents.get("fn", []) if _card_text(p.value)), "")
    if not name:
        for prop in contents.get("n", []):
            name = " ".join(x for x in (_card_text(prop.value.given), _card_text(prop.value.family)) if x)
    if name:
        values["name"] = [("FN", name)]
    for prop in contents.get("nickname", []):
        put("honorific", "NICKNAME", prop.value)
    for prop in contents.get("org", []):
        parts = prop.value if isinstance(prop.value, list) else [prop.value]
        put("company", "ORG", parts[0] if parts else "")
        for part in parts[1:]:
            if _card_text(part):
                extras.append(("ORG", _card_text(part)))
    for prop in contents.get("title", []):
        put("title", "TITLE", prop.value)
    for prop in contents.get("tel", []):
        put("phones", "TEL", prop.value)
    for prop in contents.get("email", []):
        put("email", "EMAIL", prop.value)
    for prop in contents.get("bday", []):
        put("birthday", "BDAY", _vcard_bday(_card_text(prop.value), prop.params.get("X-APPLE-OMIT-YEAR", [])))
    for prop in contents.get("adr", []):
        adr = prop.value
        put("city", "ADR", getattr(adr, "city", ""))
        street = _card_text(getattr(adr, "street", ""))
        if street:
            values.setdefault("address", []).append(("ADR", street))
    for prop in contents.get("categories", []):
        parts = prop.value if isinstance(prop.value, list) else [prop.value]
        for part in parts:
            put("tags", "CATEGORIES", part)
    for prop in contents.get("note", []):
        put("notes", "NOTE", prop.value)
    for key, props in contents.items():
        if "wechat" in key or "weixin" in key:
            for prop in props:
                put("wechat", key.upper(), prop.value)
    raw = {_FIELD_LABELS_ZH[k]: "，".join(text for _, text in items) for k, items in values.items()}
    return _Row(start, values, extras, raw)


def _card_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(_card_text(v) for v in value if _card_text(v))
    return str(value).strip()


def _vcard_bday(text: str, omitted_years: list[str]) -> str:
    """vCard birthdays as the solar parser reads them: 19850612, --0612, 1985-06-12T00:00:00Z.

    A birthday without a year is --06-12 in vCard 4.0 and Android, and on Apple devices
    a placeholder year named by X-APPLE-OMIT-YEAR (1604): that year is not a birth year.
    """
    text = text.strip().split("T", 1)[0]
    if text.startswith("--"):
        digits = text[2:].replace("-", "")
        return f"{digits[:2]}-{digits[2:]}" if len(digits) == 4 else text
    digits = text.replace("-", "")
    if len(digits) == 8 and digits.isdigit() and (digits[:4] in omitted_years or digits[:4] == "1604"):
        return f"{digits[4:6]}-{digits[6:]}"
    return text


def _vcard_rows(path: Path, encoding: str, report: ImportReport, progress: Progress | None) -> Iterator[_Row]:
    found = False
    for start, lines in _card_blocks(path, encoding, progress):
        found = True
        row = _card_row(start, lines)
        if isinstance(row, RowError):
            report.rows += 1
            report.errors.append(row)
            report.rejected.append(RejectedRow(start, {"vCard": t("io.row.vcard_at_line", line=start)}))
            continue
        yield row
    if not found:
        raise KequError("io.file.no_cards", path=path)


# -------------------------------------------------------------------- duplicates


def _norm_phone(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11 and digits[len(prefix)] == "1":
            return digits[len(prefix) :]
    return digits


def _norm_key_text(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def _dup_keys(name: str, company: str, phones: list[str], wechat: str, email: str) -> list[tuple[str, str]]:
    keys = [("phone", p) for p in (_norm_phone(p) for p in phones) if len(p) >= 5]
    if wechat.strip():
        keys.append(("wechat", _norm_key_text(wechat)))
    if email.strip():
        keys.append(("email", email.strip().lower()))
    # A name alone is no proof: two 王总 without a company are two people.
    if name.strip() and company.strip():
        keys.append(("name_company", f"{_norm_key_text(name)}|{_norm_key_text(company)}"))
    return keys


@dataclass
class _Plan:
    candidates: list[_Candidate] = field(default_factory=list)
    parent: dict[int, int] = field(default_factory=dict)  # existing customer merged into another

    def find(self, customer_id: int) -> int:
        while self.parent.get(customer_id, customer_id) != customer_id:
            customer_id = self.parent[customer_id]
        return customer_id

    def resolve(self, candidate: _Candidate) -> tuple[str, int | _Candidate]:
        while candidate.into_row is not None:
            candidate = candidate.into_row
        if candidate.into_db is not None:
            return "db", self.find(candidate.into_db)
        return "row", candidate


def _existing_index(session: Any) -> dict[tuple[str, str], list[int]]:
    from sqlmodel import select

    from kequ.storage.models import Customer

    index: dict[tuple[str, str], list[int]] = {}
    columns = select(Customer.id, Customer.name, Customer.company, Customer.phones, Customer.wechat, Customer.email)
    for cid, name, company, phones, wechat, email in session.exec(columns):
        for key in _dup_keys(name, company, phones or [], wechat, email):
            index.setdefault(key, []).append(cid)
    return index


def _plan(
    candidates: Iterator[_Candidate],
    existing: dict[tuple[str, str], list[int]],
    on_duplicate: str,
    report: ImportReport,
) -> _Plan:
    plan = _Plan()
    in_file: dict[tuple[str, str], _Candidate] = {}
    for candidate in candidates:
        d = candidate.data
        keys = _dup_keys(d["name"], d["company"], d["phones"], d["wechat"], d["email"])
        db_ids: set[int] = set()
        rows: dict[int, _Candidate] = {}
        by = ""
        for key in keys:
            hits = [plan.find(i) for i in existing.get(key, ())]
            earlier = in_file.get(key)
            if earlier is not None:
                kind, target = plan.resolve(earlier)
                if kind == "db":
                    hits.append(target)  # type: ignore[arg-type]
                else:
                    rows[id(target)] = target  # type: ignore[assignment]
            if (hits or earlier is not None) and not by:
                by = key[0]
            db_ids.update(hits)  # type: ignore[arg-type]
        if not db_ids and not rows:
            plan.candidates.append(candidate)
            for key in keys:
                in_file.setdefault(key, candidate)
            continue
        first_row = min(rows.values(), key=lambda c: c.line) if rows else None
        if on_duplicate == "skip":
            report.skipped += 1
            report.duplicates.append(
                DuplicateRow(
                    candidate.line,
                    d["name"],
                    by,
                    "skipped",
                    customer_id=min(db_ids) if db_ids else None,
                    other_line=None if db_ids or first_row is None else first_row.line,
                )
            )
            continue
        plan.candidates.append(candidate)
        absorbed: tuple[int, ...] = ()
        if db_ids:
            keep = min(db_ids)
            absorbed = tuple(sorted(db_ids - {keep}))
            for other in absorbed:
                plan.parent[other] = keep
            for row in rows.values():
                row.into_db = keep
            candidate.into_db = keep
        else:
            assert first_row is not None
            for row in rows.values():
                if row is not first_row:
                    row.into_row = first_row
            candidate.into_row = first_row
        for key in keys:
            in_file.setdefault(key, candidate)
        report.duplicates.append(
            DuplicateRow(
                candidate.line,
                d["name"],
                by,
                "merged",
                customer_id=min(db_ids) if db_ids else None,
                other_line=None if db_ids or first_row is None else first_row.line,
                absorbed_ids=absorbed,
            )
        )
    return plan


# --------------------------------------------------------------------- merging

# What customers.refresh_search_keys reads: only a change there needs new keys.
_SEARCHED = ("honorific", "company", "phones", "wechat", "email", "city", "tags")
# Ids per IN (...) query, well under SQLite's limit on bound parameters.
_ID_CHUNK = 900
_FILL_FIELDS = ("honorific", "company", "title", "wechat", "email", "city", "district", "address", "source")


def _absorb(target: dict[str, Any], extra: dict[str, Any]) -> None:
    """Fill what the target lacks; phones and tags are united; notes are kept, not lost."""
    for name in (*_FILL_FIELDS, "interests"):
        if not target.get(name) and extra.get(name):
            target[name] = extra[name]
    for name in ("phones", "tags"):
        merged = list(target.get(name) or [])
        merged.extend(v for v in extra.get(name) or [] if v not in merged)
        target[name] = merged
    for name in ("tier", "disc"):
        if target.get(name) is None and extra.get(name) is not None:
            target[name] = extra[name]
    note = extra.get("notes") or ""
    if note and note not in (target.get("notes") or ""):
        target["notes"] = f"{target['notes']}\n{note}" if target.get("notes") else note


def _row_values(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in (*_FILL_FIELDS, "interests", "phones", "tags", "disc", "notes")}


def _apply(row: Any, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name == "tier" or getattr(row, name) == value:
            continue
        setattr(row, name, list(value) if isinstance(value, list) else value)


def merge_customers(session: Any, keep_id: int, drop_id: int) -> None:
    """Fold customer ``drop_id`` into ``keep_id``: every interaction, date, deal, gift,
    complaint and planned touch moves over, then ``drop_id`` is deleted.

    Runs inside the caller's transaction. Where both have the same handled occurrence or
    the same rhythm override, the kept customer's row wins and the other's interactions
    are re-pointed to it, so no contact is ever lost.
    """
    from sqlalchemy import text

    from kequ.domain.vocab import ONE_OFF_DATE_KINDS
    from kequ.services.customers import refresh_search_keys
    from kequ.storage.models import Customer

    keep = session.get(Customer, keep_id)
    drop = session.get(Customer, drop_id)
    if keep is None or drop is None or keep_id == drop_id:
        return
    params = {"keep": keep_id, "drop": drop_id}
    run = session.execute
    # Touchpoints: one per (customer, source, occurrence); a clash keeps the kept one's.
    run(
        text(
            "UPDATE interaction SET touchpoint_id = (SELECT k.id FROM touchpoint d JOIN touchpoint k"
            " ON k.customer_id = :keep AND k.source_key = d.source_key AND k.occurrence = d.occurrence"
            " WHERE d.id = interaction.touchpoint_id)"
            " WHERE touchpoint_id IN (SELECT d.id FROM touchpoint d JOIN touchpoint k ON k.customer_id = :keep"
            " AND k.source_key = d.source_key AND k.occurrence = d.occurrence WHERE d.customer_id = :drop)"
        ),
        params,
    )
    run(
        text(
            "DELETE FROM touchpoint WHERE customer_id = :drop AND EXISTS (SELECT 1 FROM touchpoint k"
            " WHERE k.customer_id = :keep AND k.source_key = touchpoint.source_key"
            " AND k.occurrence = touchpoint.occurrence)"
        ),
        params,
    )
    run(
        text(
            "DELETE FROM cadence WHERE customer_id = :drop AND kind IN"
            " (SELECT kind FROM cadence WHERE customer_id = :keep)"
        ),
        params,
    )
    # The same life event on the same day of another year is another event, not a duplicate.
    once = ", ".join(f"'{kind}'" for kind in ONE_OFF_DATE_KINDS)
    run(
        text(
            "DELETE FROM important_date WHERE customer_id = :drop AND EXISTS (SELECT 1 FROM important_date k"
            " WHERE k.customer_id = :keep AND k.kind = important_date.kind AND k.month = important_date.month"
            " AND k.day = important_date.day AND k.lunar = important_date.lunar AND k.leap = important_date.leap"
            f" AND (k.year IS important_date.year OR important_date.kind NOT IN ({once})))"
        ),
        params,
    )
    for table in ("touchpoint", "cadence", "important_date", "interaction", "deal", "gift", "complaint"):
        run(text(f"UPDATE {table} SET customer_id = :keep WHERE customer_id = :drop"), params)
    run(text("UPDATE customer SET referrer_id = :keep WHERE referrer_id = :drop AND id != :keep"), params)
    merged = _row_values(keep)
    _absorb(merged, _row_values(drop))
    _apply(keep, merged)
    if keep.referrer_id == drop_id:
        keep.referrer_id = drop.referrer_id if drop.referrer_id != keep_id else None
    keep.created_at = min(keep.created_at, drop.created_at)
    keep.churned = keep.churned and drop.churned
    keep.updated_at = clock.now()
    refresh_search_keys(keep)
    session.flush()
    # The moved rows were changed behind the ORM's back: it must not cascade on them.
    session.expire_all()
    session.delete(session.get(Customer, drop_id))
    session.flush()


# ------------------------------------------------------------------------ writing


def _customer_values(data: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Column values for one new customer (a seam the rollback test breaks).

    Checked by ``check_new_customer`` and keyed by ``search_keys`` exactly as
    ``new_customer_row`` does for a form, but as a plain dict: building 10,000 SQLModel
    objects costs more than the whole insert.
    """
    from kequ.domain.records import NewCustomer
    from kequ.domain.search import search_keys
    from kequ.domain.validation import check_new_customer

    clean = check_new_customer(
        NewCustomer(
            name=data["name"],
            honorific=data["honorific"],
            company=data["company"],
            title=data["title"],
            phones=tuple(data["phones"]),
            wechat=data["wechat"],
            email=data["email"],
            city=data["city"],
            tier=data["tier"] or "regular",
            disc=data["disc"],
            tags=tuple(data["tags"]),
            notes=data["notes"],
        )
    )
    phones, tags = list(clean.phones), list(clean.tags)
    return {
        "name": clean.name,
        "honorific": clean.honorific,
        "company": clean.company,
        "title": clean.title,
        "company_role": None,
        "phones": phones,
        "wechat": clean.wechat,
        "email": clean.email,
        "city": clean.city,
        "district": data["district"],
        "address": data["address"],
        "tier": clean.tier,
        "stage": "existing",
        "disc": clean.disc,
        "relation_type": None,
        "ladder": None,
        "ford_family": "",
        "ford_occupation": "",
        "ford_recreation": "",
        "ford_dreams": "",
        "interests": data["interests"],
        "tags": tags,
        "source": data["source"],
        "referrer_id": None,
        "churned": False,
        "churn_reason": "",
        "notes": clean.notes,
        # The same fields, in the same order, as customers.refresh_search_keys.
        "search_keys": search_keys(
            clean.name, clean.honorific, clean.company, phones, clean.wechat, clean.email, clean.city, tags
        ),
        "created_at": now,
        "updated_at": now,
    }


def _date_values(customer_id: int, dates: list[AnnualDate], have: set[tuple[int, int, bool, bool]]) -> list[Any]:
    out = []
    for annual in dates:
        key = (annual.month, annual.day, annual.lunar, annual.leap)
        if key in have:
            continue
        have.add(key)
        out.append(
            {
                "customer_id": customer_id,
                "kind": "birthday",
                "label": "",
                "month": annual.month,
                "day": annual.day,
                "lunar": annual.lunar,
                "leap": annual.leap,
                "year": annual.year,
                "lead_days": 0,
            }
        )
    return out


def _write(db: Any, plan: _Plan, report: ImportReport, progress: Progress | None) -> None:
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError, StatementError
    from sqlmodel import select

    from kequ.services.customers import refresh_search_keys
    from kequ.storage.models import Customer, ImportantDate

    new_groups: dict[int, list[_Candidate]] = {}
    heads: dict[int, _Candidate] = {}
    db_groups: dict[int, list[_Candidate]] = {}
    for candidate in plan.candidates:
        kind, target = plan.resolve(candidate)
        if kind == "db":
            db_groups.setdefault(target, []).append(candidate)  # type: ignore[arg-type]
        else:
            heads[id(target)] = target  # type: ignore[assignment]
            new_groups.setdefault(id(target), []).append(candidate)
    total = len(new_groups) + len(db_groups)
    done = 0
    now = clock.now()
    customers = Customer.__table__  # type: ignore[attr-defined]
    batch = _PROGRESS_EVERY * 4
    try:
        with db.session() as session:
            for drop in sorted(plan.parent):
                merge_customers(session, plan.find(drop), drop)
            values: list[dict[str, Any]] = []
            all_dates: list[list[AnnualDate]] = []
            for key, group in new_groups.items():
                data = dict(heads[key].data)
                dates = list(heads[key].dates)
                for other in group:
                    if other is not heads[key]:
                        _absorb(data, other.data)
                        dates.extend(d for d in other.dates if d not in dates)
                values.append(_customer_values(data, now))
                all_dates.append(dates)
            ids: list[int] = []
            # RETURNING in parameter order pairs each new id with its row's birthdays.
            statement = insert(customers).returning(customers.c.id, sort_by_parameter_order=True)
            for start in range(0, len(values), batch):
                ids.extend(session.execute(statement, values[start : start + batch]).scalars())
                done += len(values[start : start + batch])
                if progress is not None:
                    progress("write", done, total)
            new_dates = [
                row for cid, dates in zip(ids, all_dates, strict=True) for row in _date_values(cid, dates, set())
            ]
            if new_dates:
                session.execute(insert(ImportantDate.__table__), new_dates)  # type: ignore[attr-defined]
            if db_groups:
                have: dict[int, set[tuple[int, int, bool, bool]]] = {}
                query = select(ImportantDate.customer_id, ImportantDate.month, ImportantDate.day).add_columns(
                    ImportantDate.lunar, ImportantDate.leap
                )
                for cid, month, day, lunar, leap in session.exec(query.where(ImportantDate.kind == "birthday")):
                    if cid in db_groups:
                        have.setdefault(cid, set()).add((month, day, lunar, leap))
                targets = list(db_groups)
                loaded: dict[int, Any] = {}
                for start in range(0, len(targets), _ID_CHUNK):
                    chunk = targets[start : start + _ID_CHUNK]
                    for row in session.exec(select(Customer).where(Customer.id.in_(chunk))):  # type: ignore[union-attr]
                        loaded[row.id] = row
                # One flush at the end, not one per customer before every query.
                with session.no_autoflush:
                    for customer_id, group in db_groups.items():
                        row = loaded.get(customer_id)
                        if row is None:  # deleted by another window since the plan was made
                            raise KequError("customer.no_id", ref=customer_id)
                        before = _row_values(row)
                        merged = dict(before)
                        dates = []
                        for candidate in group:
                            _absorb(merged, candidate.data)
                            dates.extend(candidate.dates)
                        if merged != before:
                            _apply(row, merged)
                            if any(merged[f] != before[f] for f in _SEARCHED if f in merged):
                                refresh_search_keys(row)
                            row.updated_at = now
                        extra = _date_values(customer_id, dates, have.setdefault(customer_id, set()))
                        session.add_all(ImportantDate(**item) for item in extra)
                        done += 1
                        if progress is not None and done % _PROGRESS_EVERY == 0:
                            progress("write", done, total)
            session.flush()
            report.customer_ids = ids
    except (IntegrityError, StatementError) as error:
        detail = str(getattr(error, "orig", None) or error).splitlines()[0][:200]
        raise KequError("io.import.rolled_back", detail=detail) from error


def _count(plan: _Plan, report: ImportReport) -> None:
    heads: set[int] = set()
    merged = 0
    for candidate in plan.candidates:
        kind, target = plan.resolve(candidate)
        if kind == "row" and target is candidate:
            heads.add(id(candidate))
        else:
            merged += 1
    report.added = len(heads)
    report.merged = merged


# ------------------------------------------------------------------------ the entry


def import_file(
    db: Any,
    path: Path,
    *,
    mapping: Mapping[str, str | None] | None = None,
    on_duplicate: str = "skip",
    dry_run: bool = False,
    report_path: Path | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read, check and (unless ``dry_run``) write one file; see the module docstring.

    Raises KequError for a problem with the whole file; row problems are in the report.
    With ``report_path`` the rejected rows are written there as a CSV to fix and re-import.
    ``mapping`` names a column's field, ``"-"`` to skip it, or None to keep it in the notes.
    """
    from kequ.storage.backups import make_backup

    if on_duplicate not in ("skip", "merge"):
        raise KequError("input.bad_choice", field="on-duplicate", value=on_duplicate, options="skip/merge")
    path = Path(path)
    fmt, encoding = detect_format(path)
    report = ImportReport(path=str(path), format=fmt, dry_run=dry_run, encoding=encoding)
    if fmt == "json":
        _import_json(db, path, encoding or "utf-8", report)
        if report_path is not None and report.rejected:
            report.report_file = str(write_error_report(report, Path(report_path)))
        return report

    if fmt == "vcf":
        rows = _vcard_rows(path, encoding or "utf-8", report, progress)
    else:
        raw_rows = _xlsx_rows(path, progress) if fmt == "xlsx" else _csv_rows(path, encoding or "utf-8", progress)
        rows = _tabular(raw_rows, mapping, report)

    def checked() -> Iterator[_Candidate]:
        for row in rows:
            report.rows += 1
            candidate, errors = _check_row(row, spreadsheet=fmt != "vcf")
            if errors:
                report.errors.extend(errors)
                report.rejected.append(RejectedRow(row.line, row.raw))
                continue
            assert candidate is not None
            yield candidate

    with db.session() as session:
        existing = _existing_index(session)
    plan = _plan(checked(), existing, on_duplicate, report)
    _count(plan, report)
    if report.rows == 0:
        raise KequError("io.file.no_rows", path=path)
    if not dry_run and plan.candidates:
        if not db.is_empty():
            # Merges rewrite customers already there: keep the day's state to go back to.
            report.backup = str(make_backup(db.path, "before-import"))
        _write(db, plan, report, progress)
    if report_path is not None and report.errors:
        report.report_file = str(write_error_report(report, Path(report_path)))
    return report


@dataclass(frozen=True, slots=True)
class Preview:
    """What a screen shows before an import: the file's columns as read, and a dry run.

    ``targets`` holds, per column, a field, ``IGNORE``, or None (kept in the notes), after
    the given mapping. ``report`` is None when the dry run refused the file as mapped;
    ``problem`` then says why, while the columns are still there to point at the right one.
    """

    format: str
    encoding: str | None
    columns: tuple[str, ...]
    targets: tuple[str | None, ...]
    samples: tuple[tuple[str, ...], ...]
    editable: bool  # contact cards and JSON exports name their own fields
    report: ImportReport | None
    problem: str | None = None


def preview_import(
    db: Any,
    path: Path,
    *,
    mapping: Mapping[str, str | None] | None = None,
    on_duplicate: str = "skip",
    sample_rows: int = 3,
) -> Preview:
    """The first rows of ``path`` as an import would read them, and a dry run of it.

    Raises KequError when the file itself cannot be used (missing, a folder, binary, no
    rows at all). A problem of the file as mapped, such as no name column, comes back in
    ``problem``: the user may fix it by choosing the column that holds the names.
    """
    path = Path(path)
    fmt, encoding = detect_format(path)
    columns: tuple[str, ...] = ()
    targets: tuple[str | None, ...] = ()
    samples: list[tuple[str, ...]] = []
    if fmt == "vcf":
        columns, targets, samples = _card_head(path, encoding or "utf-8", sample_rows)
    elif fmt != "json":
        raw = _xlsx_rows(path, None) if fmt == "xlsx" else _csv_rows(path, encoding or "utf-8", None)
        layout, cells = _sheet_head(raw, mapping, sample_rows)
        if layout is not None:
            columns, targets = layout.labels, layout.targets
            samples = [tuple(row[: len(columns)]) + ("",) * (len(columns) - len(row)) for row in cells]
    try:
        report = import_file(db, path, mapping=mapping, on_duplicate=on_duplicate, dry_run=True)
    except KequError as error:
        if not columns:  # nothing the user could correct in a preview
            raise
        return Preview(fmt, encoding, columns, targets, tuple(samples), fmt not in ("vcf", "json"), None, str(error))
    return Preview(fmt, encoding, columns, targets, tuple(samples), fmt not in ("vcf", "json"), report)


def _sheet_head(
    raw: Iterator[tuple[int, list[str]]], mapping: Mapping[str, str | None] | None, count: int
) -> tuple[_Layout | None, list[list[str]]]:
    """The header as ``_tabular`` finds it, and the first ``count`` rows under it.

    Where no row within the first ten reads as a header, the first row is taken for one,
    so the user can say which of its columns holds the names.
    """
    waiting: list[list[str]] = []
    layout: _Layout | None = None
    rows: list[list[str]] = []
    try:
        for _line, cells in raw:
            if not any(c.strip() for c in cells):
                continue
            if layout is not None:
                rows.append(cells)
                if len(rows) >= count:
                    break
                continue
            waiting.append(cells)
            if _is_header(cells, mapping):
                layout = _layout(cells, mapping)
            elif len(waiting) >= 10:
                break
    except KequError:
        if not waiting:
            raise
        # A broken line further down: the dry run reports it, the columns are still good.
    finally:
        raw.close()  # type: ignore[attr-defined]
    if layout is None and waiting:
        return _layout(waiting[0], mapping), waiting[1 : 1 + count]
    return layout, rows


def _card_head(
    path: Path, encoding: str, count: int
) -> tuple[tuple[str, ...], tuple[str | None, ...], list[tuple[str, ...]]]:
    """The fields the first contact cards fill in, as (vCard property, field) columns."""
    scratch = ImportReport(path=str(path), format="vcf", dry_run=True)
    rows: list[_Row] = []
    cards = _vcard_rows(path, encoding, scratch, None)
    try:
        for row in cards:
            rows.append(row)
            if len(rows) >= count:
                break
    finally:
        cards.close()  # type: ignore[attr-defined]
    fields = [name for name in FIELDS if any(name in row.values for row in rows)]
    labels = tuple(next(row.values[name][0][0] for row in rows if name in row.values) for name in fields)
    samples = [tuple("，".join(text for _, text in row.values.get(name, [])) for name in fields) for row in rows]
    return labels, tuple(fields), samples


# ------------------------------------------------------------------ JSON and report


def _import_json(db: Any, path: Path, encoding: str, report: ImportReport) -> None:
    from kequ.exchange.exporting import load_tables

    try:
        with path.open(encoding=encoding) as handle:
            doc = json.load(handle)
    except UnicodeDecodeError:
        raise KequError("io.file.unknown_encoding") from None
    except json.JSONDecodeError as error:
        raise KequError("io.json.broken", line=error.lineno, detail=error.msg) from None
    loaded = load_tables(db, doc, dry_run=report.dry_run)
    report.tables = loaded.counts
    report.errors.extend(loaded.errors)
    report.rejected.extend(loaded.rejected)
    report.rows = loaded.read
    report.added = loaded.counts.get("customer", 0)


def write_error_report(report: ImportReport, target: Path) -> Path:
    """The refused rows as they were read, each with its line and reasons in front.

    UTF-8 with BOM and CRLF so Excel opens it; the two extra columns are ones the
    importer ignores, so the corrected file can be imported as it is.
    """
    from kequ.exchange.exporting import neutralise, write_private

    reasons: dict[int, list[str]] = {}
    for error in report.errors:
        reasons.setdefault(error.line, []).append(f"{error.column}：{error.reason}")
    columns: list[str] = []
    for rejected in report.rejected:
        columns.extend(c for c in rejected.values if c not in columns)

    def write(out: IO[bytes]) -> None:
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([t("io.report.line"), t("io.report.errors"), *columns])
        for rejected in report.rejected:
            cells = [rejected.values.get(c, "") for c in columns]
            writer.writerow([rejected.line, "；".join(reasons.get(rejected.line, [])), *(neutralise(c) for c in cells)])
        text.flush()
        text.detach()

    return write_private(target, write)
