"""One row checked as a person would: each problem named with its line, column and fix.

Only a row that says nothing about who the person is (no name, nickname, company, phone
or e-mail) is refused. A field that cannot be read never costs the contact: the contact
is kept, the text goes into its notes ("导入时未能识别：生日 1900-01-01") and the report
lists it as a warning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache, partial
from typing import Any

from kequ.domain.calendar.lunar import AnnualDate, DateInputError, parse_lunar_date, parse_solar_date, says_lunar
from kequ.domain.choices import DISC_WORDS, TIER_WORDS, norm_word
from kequ.domain.gender import parse_gender
from kequ.domain.validation import (
    MAX_NAME,
    MAX_NOTE,
    MAX_SHORT,
    TEXT_FIELDS,
    check_email,
    check_phone,
    clean_text,
)
from kequ.errors import KequError, user_message
from kequ.exchange.imports.fields import ANNIVERSARY, TEXT_COLUMNS
from kequ.exchange.imports.report import RowError
from kequ.exchange.spreadsheet import split_tags
from kequ.i18n import language, t


@dataclass
class Row:
    line: int
    values: dict[str, list[tuple[str, str]]]  # field -> [(column label, text)]
    extras: list[tuple[str, str]]  # unknown columns, kept as "label：value" in the notes
    raw: dict[str, str]  # as read, for the error report
    # What the reader found but could not use, as (label, text): kept in the notes, and a warning.
    unread: list[tuple[str, str]] = field(default_factory=list)
    card: int = 0  # in a vCard file, which card this is (1, 2, …); ``line`` is where it starts


@dataclass(eq=False)
class Candidate:
    """A checked row: the customer's fields, ready to insert or to merge."""

    line: int
    data: dict[str, Any]
    dates: list[tuple[str, AnnualDate]]  # (kind: "birthday" | "anniversary", the date)
    into_row: Candidate | None = None  # merged into an earlier row of the file
    into_db: int | None = None  # merged into an existing customer
    warnings: list[RowError] = field(default_factory=list)  # what was kept in the notes or guessed


_TIER_LOOKUP = {norm_word(w): tier for tier, words in TIER_WORDS.items() for w in words}

_DISC_LOOKUP = {norm_word(w): disc for disc, words in DISC_WORDS.items() for w in words}

_LOOKUPS = {"tier": _TIER_LOOKUP, "disc": _DISC_LOOKUP}


def reads_as(name: str, text: str) -> bool:
    """Whether ``text`` is a tier or a personality type ("tier" / "disc") as the import reads them."""
    return norm_word(text) in _LOOKUPS[name]


# The columns a header only guesses at, and how their values confirm the guess.
VALUE_CHECKS: dict[str, Callable[[str], bool]] = {name: partial(reads_as, name) for name in _LOOKUPS}


# What Excel itself would run: =SUM(, =A1, +cmd|' /C calc'!A0. A phone like +86 138 is not one.
_FORMULA = re.compile(r"^[=+\-@]\s*(?:[A-Za-z_][A-Za-z0-9_.]*\s*\(|\$?[A-Za-z]{1,3}\$?\d+\b|.*\|.*!)")

# Excel showing a long number as 1.38E+10 has already thrown the digits away.
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d+$")

_PHONE_SPLIT = re.compile(r"\s*:::\s*|[,，、;；/|\n]+")

# tel:+86-512-66881234;ext=102 (RFC 3966) and its other parameters.
_TEL_EXT = re.compile(r"\s*;\s*ext\s*=\s*", re.IGNORECASE)
_TEL_PARAMS = re.compile(r";[A-Za-z-]+=[^;,]*")
_TEL_PREFIX = re.compile(r"^tel:", re.IGNORECASE)

# 0512-66881234 转808, 分机 808, ext. 808, x808, and a dialler's pause p808 / w808.
_EXTENSION = re.compile(r"^(?P<main>.*\d)\s*(?:转|分机号?|ext\.?|extension|x|p|w|#)\s*(?P<ext>\d{1,6})$", re.IGNORECASE)

_DATE_WITH_TIME = re.compile(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")

# Outlook writes 0/0/00 (and some tools 00/0/0) for "no birthday".
NO_DATE = re.compile(r"^0{1,2}/0{1,2}/0{1,4}$")

# A date column holding Excel's day number: 29353 is 1980-05-12.
_SERIAL = re.compile(r"^(\d{4,5})(?:\.0+)?$")
_EXCEL_EPOCH = date(1899, 12, 30)

# vCard 4.0 and Google's birthday without a year: --08-03 or --0803.
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")

# A year that means "no year": 0000-05-12 (phones, spreadsheets) and Apple's 1604-05-12.
NO_YEAR_YEARS = ("0000", "1604")
_PLACEHOLDER_YEAR = re.compile(
    r"^(?:" + "|".join(NO_YEAR_YEARS) + r")(?:\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{2})(\d{2}))$"
)

# The neutralising quote our own export put before a leading = + - @.
_NEUTRALISED = re.compile(r"^'(?=[=+\-@\t\r])")

_ANGLED_EMAIL = re.compile(r"<\s*(?:mailto:)?([^<>\s]+@[^<>\s]+)\s*>", re.IGNORECASE)
_EMAIL_SPLIT = re.compile(r"\s*:::\s*|[\s,，;；]+")

# What Outlook and others write for a gender nobody said.
_GENDER_NOT_SAID = frozenset({"未指定", "未知", "保密", "不详", "unspecified", "unknown", "not specified"})

_CJK = re.compile(r"[\u3400-\u9fff]")


def _clean(value: str, *, limit: int, label: str) -> str:
    return clean_text(value, limit, label)


def _reason(error: Exception) -> tuple[str, str]:
    return user_message(error) or str(error), getattr(error, "key", "io.row.invalid")


def _problem(line: int, column: str, value: str, error: Exception) -> RowError:
    reason, key = _reason(error)
    return RowError(line, column, value, reason, key)


class _Unread:
    """The row's warnings: values kept in the notes, and things worth a look."""

    def __init__(self, line: int) -> None:
        self.line = line
        self.kept: list[RowError] = []  # their text goes into the notes
        self.notices: list[RowError] = []  # the value is already kept where it belongs

    def keep(self, label: str, text: str, reason: str, key: str) -> None:
        self.kept.append(RowError(self.line, label, text, reason, key))

    def keep_error(self, label: str, text: str, error: Exception) -> None:
        self.keep(label, text, *_reason(error))

    def notice(self, label: str, text: str, reason: str, key: str) -> None:
        self.notices.append(RowError(self.line, label, text, reason, key))

    def checked(self, check: Callable[[str], str], label: str, text: str) -> str | None:
        try:
            return check(text)
        except KequError as error:
            self.keep_error(label, text, error)
            return None


def check_row(row: Row, spreadsheet: bool = True) -> tuple[Candidate | None, list[RowError]]:
    line = row.line
    unread = _Unread(line)
    for label, text in row.unread:
        if text.strip():
            unread.keep(label, text.strip(), t("io.row.unread"), "io.row.unread")
    clean: dict[str, list[tuple[str, str]]] = {}
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
                unread.keep(label, text, t("io.row.formula", column=label), "io.row.formula")
                continue
            clean.setdefault(name, []).append((label, text))

    def first(name: str) -> tuple[str, str]:
        items = clean.get(name)
        return items[0] if items else (_column_label(row, name), "")

    data: dict[str, Any] = {}
    for name in TEXT_COLUMNS:
        items = clean.get(name)
        if not items:  # most files fill few of these: nothing to check
            data[name] = ""
            continue
        label, text = items[0]
        check = partial(_clean, limit=TEXT_FIELDS[name], label=label)
        data[name] = unread.checked(check, label, text) or ""

    data["city"], data["district"] = _city(data["city"], data["district"])
    data["phones"] = _phones(clean.get("phones", []), unread)
    notes: list[str] = [text for _, text in clean.get("notes", [])]
    data["email"] = _emails(first("email"), notes, unread)

    for name, lookup in _LOOKUPS.items():
        label, text = first(name)
        data[name] = lookup.get(norm_word(text)) if text else None
        if text and data[name] is None:
            key = f"io.row.bad_{name}"
            unread.keep(label, text, t(key, value=text), key)

    label, text = first("gender")
    data["gender"] = None
    if text and norm_word(text) not in _GENDER_NOT_SAID:
        try:
            data["gender"] = parse_gender(text)
        except KequError as error:
            unread.keep_error(label, text, error)

    tags: list[str] = []
    for label, text in clean.get("tags", []):
        for piece in split_tags(text):
            if piece.startswith("* "):  # Google's own groups: * myContacts, * starred
                continue
            tag = unread.checked(lambda value, lab=label: clean_text(value, MAX_SHORT, lab), label, piece)
            if tag and tag not in tags:
                tags.append(tag)
    data["tags"] = tags

    dates = _dates(first("birthday"), first("lunar_birthday"), first(ANNIVERSARY), unread)

    errors: list[RowError] = []
    name_label, name_text = first("name")
    name = unread.checked(lambda value: clean_text(value, MAX_NAME, name_label), name_label, name_text) or ""
    if not name:
        name = _joined_name(clean, unread)
    if not name:
        name = _name_from(data, name_label, unread)
    if not name:
        if not any(item.column == name_label for item in unread.kept):  # an unreadable name is reason enough
            errors.append(_problem(line, name_label, name_text, KequError("input.empty_name")))
        return None, [*unread.kept, *errors]
    if not data["company"]:
        name, data["company"] = _name_and_company(name)
    data["name"] = name

    # A column repeating the name (a WeChat 昵称 where no 备注名 was set) says nothing new.
    notes.extend(f"{label}：{text}" for label, text in row.extras if text.strip() and text.strip() != name_text)
    if unread.kept:
        items = t("io.row.unread_sep").join(f"{item.column} {item.value}" for item in unread.kept)
        notes.append(t("io.row.unread_note", items=items))
    label = _column_label(row, "notes")
    joined = clean_text("\n".join(notes), MAX_NOTE * 10, label)
    if len(joined) > MAX_NOTE:
        unread.notice(label, "", t("io.row.notes_cut", limit=MAX_NOTE), "io.row.notes_cut")
        joined = joined[:MAX_NOTE]
    data["notes"] = joined
    return Candidate(line, data, dates, warnings=[*unread.kept, *unread.notices]), []


# 中国 浙江 温州, as WeChat writes a region: country, province, city.
_COUNTRIES = frozenset({"中国", "中国大陆", "中华人民共和国"})
_MUNICIPALITIES = frozenset({"北京", "上海", "天津", "重庆"})
_PROVINCES = frozenset(
    {
        "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北",
        "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏",
        "宁夏", "新疆", "香港", "澳门",
    }
)  # fmt: skip


def _city(text: str, district: str) -> tuple[str, str]:
    """The city (and district) of a region written country first, as WeChat does:
    温州 of 中国 浙江 温州 or 江苏 温州, 北京 and 朝阳 of 中国 北京 朝阳, 旧金山 of 美国 加利福尼亚 旧金山.

    Only Chinese parts are taken apart (Hong Kong stays whole); kequ has no province field,
    so the province is dropped: the city says it.
    """
    parts = text.split()
    if len(parts) < 2 or not all(_CJK.search(part) for part in parts):
        return text, district
    rest = parts[1:] if parts[0] in _COUNTRIES else parts
    if rest[0] in _MUNICIPALITIES:
        return rest[0], district or " ".join(rest[1:])
    if len(rest) == 1 or rest[0] in _PROVINCES or len(parts) >= 3:
        return rest[-1], district
    return text, district


# 许总-温州鞋业: a name, one dash, and a company that says it is one.
_NAME_DASH_COMPANY = re.compile(r"^([^\s\-－—–]{1,6})\s*[\-－—–]\s*([^\s\-－—–]{2,30})$")
_COMPANY_ENDINGS = (
    "公司", "集团", "厂", "业", "店", "行", "科技", "贸易", "商贸", "电子", "物流", "工作室", "中心", "事务所",
    "酒店", "银行", "超市", "批发", "门市", "机械", "电器", "建材", "化工", "塑料", "五金", "服饰", "装饰",
)  # fmt: skip


def _name_and_company(name: str) -> tuple[str, str]:
    """A name written "name-company" (许总-温州鞋业) as its two parts, when that is clear:
    one dash, a short name before it and a company name after it. 吕工-常熟 stays whole."""
    match = _NAME_DASH_COMPANY.match(name)
    if match is None or not match.group(2).endswith(_COMPANY_ENDINGS):
        return name, ""
    return match.group(1), match.group(2)


def _joined_name(clean: dict[str, list[tuple[str, str]]], unread: _Unread) -> str:
    """First Name / Last Name (or 名 / 姓) as one name: 王建国 for Chinese, Tony Leung for Latin."""
    parts = {name: clean[name][0][1].strip() for name in ("family_name", "given_name", "middle_name") if name in clean}
    if not parts:
        return ""
    family, given, middle = (parts.get(n, "") for n in ("family_name", "given_name", "middle_name"))
    if _CJK.search(family + given + middle):
        joined = family + middle + given
    else:
        joined = " ".join(p for p in (given, middle, family) if p)
    label = next(iter(clean[n][0][0] for n in ("family_name", "given_name", "middle_name") if n in clean))
    return unread.checked(lambda value: clean_text(value, MAX_NAME, label), label, joined) or ""


def _name_from(data: dict[str, Any], label: str, unread: _Unread) -> str:
    """A contact without a name is named after its company, nickname, e-mail or phone."""
    email = data["email"].split("@", 1)[0] if data["email"] else ""
    phone = data["phones"][0] if data["phones"] else ""
    sources = (("company", data["company"]), ("honorific", data["honorific"]), ("email", email), ("phones", phone))
    for source, value in sources:
        if value:
            name = value[:MAX_NAME].strip()
            reason = t("io.row.named_from", field=t(f"io.field.{source}"), name=name)
            unread.notice(label, "", reason, "io.row.named_from")
            return name
    return ""


def _emails(first: tuple[str, str], notes: list[str], unread: _Unread) -> str:
    """The first address; the others go to the notes. ``"赵六" <zhaoliu@example.cn>`` is its address."""
    label, text = first
    if not text:
        return ""
    found = _ANGLED_EMAIL.findall(text) or [a for a in _EMAIL_SPLIT.split(text) if a]
    kept = ""
    for address in found:
        if address.lower().startswith("mailto:"):
            address = address[7:]
        checked = unread.checked(check_email, label, address)
        if not checked:
            continue
        if not kept:
            kept = checked
        elif checked != kept:
            notes.append(f"{label}：{checked}")
    return kept


def _phones(items: list[tuple[str, str]], unread: _Unread) -> list[str]:
    phones: list[str] = []
    for label, text in items:
        text = _TEL_EXT.sub("转", unicodedata.normalize("NFKC", text))
        text = _TEL_PARAMS.sub("", text)
        for piece in _PHONE_SPLIT.split(text):
            piece = _TEL_PREFIX.sub("", piece.strip()).strip()
            if not piece:
                continue
            if _SCIENTIFIC.match(piece):
                unread.keep(label, piece, t("io.row.phone_scientific"), "io.row.phone_scientific")
                continue
            match = _EXTENSION.match(piece)
            main, ext = (match.group("main"), match.group("ext")) if match else (piece, "")
            main = " ".join(main.translate(_PHONE_TIDY).split())
            digits = re.sub(r"\D", "", main)
            if not digits:
                unread.keep(label, piece, t("input.bad_phone", value=piece), "input.bad_phone")
                continue
            plain = main.isdigit()
            # 0512-66881234,808: a short number after an office line is its extension.
            if plain and len(main) <= 6 and not ext and phones and _landline(phones[-1]) and "转" not in phones[-1]:
                phones[-1] = f"{phones[-1]} 转{main}"
                continue
            if len(digits) <= 6 and not main.startswith("+"):
                unread.keep(label, piece, t("io.row.phone_short"), "io.row.phone_short")
                continue
            if _placeholder(digits):
                unread.keep(label, piece, t("io.row.phone_placeholder"), "io.row.phone_placeholder")
                continue
            if plain:
                main, sure = _excel_number(main)
                if not sure:
                    unread.notice(label, main, t("io.row.phone_check"), "io.row.phone_check")
            phone = unread.checked(check_phone, label, f"{main} 转{ext}" if ext else main)
            if phone and phone not in phones:
                phones.append(phone)
    return phones


_PHONE_TIDY = str.maketrans({"(": " ", ")": " ", "（": " ", "）": " ", ".": "-", "\u3000": " "})


def _landline(phone: str) -> bool:
    digits = re.sub(r"\D", "", phone)
    return digits.startswith("0") or (phone.startswith("+86") and digits[2:3] != "1")


def _placeholder(digits: str) -> bool:
    """00000000000, 11111111111, 12345678901: numbers typed to fill a box."""
    if len(set(digits)) == 1:
        return True
    return len(digits) >= 7 and (digits in "012345678901234567890" or digits in "98765432109876543210")


def _excel_number(digits: str) -> tuple[str, bool]:
    """A phone Excel stored as a number, its 0 or + restored where the digits say which.

    8613912345678 is +8613912345678; 51266881234 is 0512-66881234 (Suzhou) and
    2112345678 is 021-12345678. True when the result can be trusted as it is.
    """
    n = len(digits)
    if n == 11 and digits[0] == "1" and digits[1] in "3456789":
        return digits, True  # a mobile number
    if digits[0] == "0" or 7 <= n <= 8:
        return digits, True  # written as text, or a local number
    if n in (12, 13) and digits.startswith("86"):
        return "+" + digits, True
    if n == 10 and (digits[:2] == "10" or digits[0] == "2"):
        return f"0{digits[:2]}-{digits[2:]}", True  # 010 and 02x: two-digit area codes
    if n in (10, 11) and digits[0] in "3456789":
        return f"0{digits[:3]}-{digits[3:]}", True
    return digits, False


def _dates(
    solar: tuple[str, str], lunar_item: tuple[str, str], anniversary: tuple[str, str], unread: _Unread
) -> list[tuple[str, AnnualDate]]:
    dates: list[tuple[str, AnnualDate]] = []
    for kind, (label, text) in (("birthday", solar), ("lunar_birthday", lunar_item), (ANNIVERSARY, anniversary)):
        if not text or NO_DATE.match(text):
            continue
        value = _date_text(text)
        lunar = kind == "lunar_birthday" or says_lunar(value)
        try:
            try:
                annual = parse_lunar_date(value) if lunar else parse_solar_date(value)
            except DateInputError as error:
                # 八月十五 under 生日 means the lunar date to nearly everyone who writes it.
                if error.key != "date.solar_looks_lunar":
                    raise
                annual = parse_lunar_date(value)
        except DateInputError as error:
            unread.keep_error(label, text, error)
            continue
        dated = (ANNIVERSARY if kind == ANNIVERSARY else "birthday", annual)
        if dated not in dates:
            dates.append(dated)
    return dates


def _date_text(text: str) -> str:
    """A birthday as the date parsers read it: Excel's day numbers and --MM-DD made plain."""
    match = _DATE_WITH_TIME.match(text)
    if match:
        return match.group(1)
    serial = _SERIAL.match(text)
    if serial:
        return (_EXCEL_EPOCH + timedelta(days=int(serial.group(1)))).isoformat()
    no_year = _NO_YEAR.match(text)
    if no_year:
        return f"{no_year.group(1)}-{no_year.group(2)}"
    placeholder = _PLACEHOLDER_YEAR.match(text)
    if placeholder:
        month, day = (g for g in placeholder.groups() if g is not None)
        return f"{month}-{day}"
    return text


def _column_label(row: Row, name: str) -> str:
    items = row.values.get(name)
    if items:
        return items[0][0]
    return _absent_label(name, language())


@lru_cache(maxsize=128)
def _absent_label(name: str, lang: str) -> str:
    """What a field no column of the file feeds is called (in ``lang``): asked of every row."""
    if name == ANNIVERSARY:
        return t("io.field.anniversary", lang)
    return t(f"io.col.{name}", lang) if name in ("birthday", "lunar_birthday") else t(f"field.{name}", lang)
