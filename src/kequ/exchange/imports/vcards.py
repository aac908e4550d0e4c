"""A phone's contacts export (vCard 2.1, 3.0, 4.0) read into rows for the shared check.

The cards are read here, property by property, rather than by vobject: one odd line
(a parameter in Chinese, ``TEL;X-微信:…``) must cost that line, not the whole card, and
each property of a vCard 2.1 file may say its own ``CHARSET`` (Big5, Shift_JIS, GBK)
in a file whose other lines are UTF-8. Text is decoded by the declared charset, then
the file's own (its BOM, else what the sniffer found), then the usual Chinese ones;
what still decodes only to replacement or private-use characters is kept out of the
field and named as unreadable.

What each property feeds is decided here; whether a value is usable (a phone, a date,
an e-mail) is the shared row check's call, so a vCard and a spreadsheet are judged
alike. A value this reader cannot take at all goes to the notes with its property name.
"""

from __future__ import annotations

import codecs
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kequ.domain.names import has_cjk
from kequ.errors import KequError
from kequ.exchange.imports.fields import PROGRESS_EVERY, Progress
from kequ.exchange.imports.mapping import FIELD_LABELS_ZH
from kequ.exchange.imports.report import ImportReport, RejectedRow, RowError
from kequ.exchange.imports.rows import NO_YEAR_YEARS, Row
from kequ.i18n import t

# Pictures, sounds and keys: most of a phone's export and nothing kequ keeps. Skipping
# them before any decoding keeps a 10,000-card export with photos fast.
_SKIPPED = frozenset({b"PHOTO", b"LOGO", b"SOUND", b"KEY"})

_FOLDED = (b" ", b"\t")

_NAME = re.compile(rb"^(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)(?=[;:])")

# Declared charsets as Python knows them, each widened to the superset its writers use.
_CHARSETS = {
    "GB2312": "gb18030",
    "GBK": "gb18030",
    "GB18030": "gb18030",
    "CP936": "gb18030",
    "BIG5": "cp950",
    "BIG5-HKSCS": "big5hkscs",
    "SHIFT_JIS": "cp932",
    "SHIFT-JIS": "cp932",
    "SJIS": "cp932",
    "EUC-KR": "cp949",
}

# Tried after the declared and the file's encodings when those give unreadable text.
_FALLBACKS = ("gb18030", "cp950", "cp932")

_UNREADABLE = re.compile("[\ufffd\ue000-\uf8ff]")

_UNESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", ":": ":", "\\": "\\"}


@dataclass(slots=True)
class Prop:
    """One property of a card, its value still in bytes until asked for as text."""

    line: int
    group: str
    name: str  # upper case
    params: dict[str, list[str]]  # upper-case keys; a bare 2.1 parameter (TEL;CELL) is a TYPE
    raw: bytes

    def param(self, key: str) -> str:
        values = self.params.get(key)
        return values[0] if values else ""

    def types(self) -> set[str]:
        return {v.upper() for v in self.params.get("TYPE", [])}


@dataclass(slots=True)
class Card:
    line: int
    props: list[Prop]
    stray: list[str]  # lines that are no property at all


def _decode_head(head: bytes, encoding: str) -> str:
    for codec in ("utf-8", encoding):
        try:
            return head.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return head.decode("latin-1")


def _split_quoted(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` outside double quotes."""
    if '"' not in text:
        return text.split(sep)
    out, piece, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            out.append("".join(piece))
            piece = []
            continue
        piece.append(ch)
    out.append("".join(piece))
    return out


def _parse_line(number: int, line: bytes, encoding: str) -> Prop | None:
    match = _NAME.match(line)
    if match is None:
        return None
    rest = line[match.end() :]
    if rest[:1] == b":":
        head, raw = b"", rest[1:]
    else:
        # The value starts at the first colon outside a quoted parameter value.
        colon, quoted = -1, False
        for i, byte in enumerate(rest):
            if byte == 0x22:
                quoted = not quoted
            elif byte == 0x3A and not quoted:
                colon = i
                break
        if colon < 0:
            return None
        head, raw = rest[1:colon], rest[colon + 1 :]
    params: dict[str, list[str]] = {}
    if head:
        for item in _split_quoted(_decode_head(head, encoding), ";"):
            key, sep, value = item.partition("=")
            key = key.strip().upper()
            if not sep:
                key, value = "TYPE", item.strip()  # vCard 2.1: TEL;CELL;VOICE
                if value.upper() in ("QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT"):
                    key = "ENCODING"
            if not key:
                continue
            values = [v.strip().strip('"') for v in _split_quoted(value, ",")] if key == "TYPE" else [value.strip('"')]
            params.setdefault(key, []).extend(v for v in values if v)
    group = match.group(1).decode("ascii").lower() if match.group(1) else ""
    return Prop(number, group, match.group(2).decode("ascii").upper(), params, raw)


def _is_quoted_printable(line: bytes) -> bool:
    head = line.split(b":", 1)[0].upper()
    return b"QUOTED-PRINTABLE" in head


def _skipped(line: bytes) -> bool:
    match = _NAME.match(line)
    return match is not None and match.group(2).upper() in _SKIPPED


def read_cards(path: Path, encoding: str, progress: Progress | None = None) -> Iterator[Card]:
    """The cards of the file, streamed, pictures already dropped.

    Folded lines are unfolded; quoted-printable soft line breaks (a vCard 2.1 value ending
    a line with "=") are joined; a base64 picture is skipped line by line, also where a
    2.1 writer did not indent its continuation lines.
    """
    total = path.stat().st_size
    with path.open("rb") as handle:
        lines: Iterator[bytes] = handle
        if encoding == "utf-16":
            import io

            # Every other encoding keeps the byte \n to itself; UTF-16 is re-encoded first.
            lines = (text.encode("utf-8") for text in io.TextIOWrapper(handle, encoding="utf-16", newline=""))
            encoding = "utf-8"
        codec = "utf-8" if encoding == "utf-8-sig" else encoding
        card: Card | None = None
        parents: list[Card] = []
        current: tuple[int, bytes] | None = None
        skipping = joining = False

        def finish() -> None:
            if card is not None and current is not None:
                prop = _parse_line(current[0], current[1], codec)
                if prop is not None:
                    card.props.append(prop)
                elif current[1].strip() and not current[1].lstrip().startswith(b"#"):
                    card.stray.append(_decode_head(current[1].strip(), codec))

        for number, physical in enumerate(lines, start=1):
            if skipping and physical[:1] in _FOLDED:
                continue  # a picture's base64, most of the file: nothing else is done with it
            line = physical.rstrip(b"\r\n")
            if number == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8) :]
            if progress is not None and number % (PROGRESS_EVERY * 10) == 0:
                progress("read", handle.tell(), total)
            if joining and current is not None:
                current = (current[0], current[1][:-1] + line)
                joining = current[1].endswith(b"=")
                continue
            if line[:1] in (b" ", b"\t"):
                if not skipping and current is not None:
                    current = (current[0], current[1] + line[1:])
                continue
            if skipping:
                # A 2.1 base64 value may run on without indentation until a blank line.
                if not line.strip() or _NAME.match(line) is None:
                    continue
                skipping = False
            upper = line.strip().upper()
            if upper == b"BEGIN:VCARD":
                finish()
                if card is not None:
                    parents.append(card)  # a card inside a card (2.1 AGENT): both are read
                card, current = Card(number, [], []), None
                continue
            if upper == b"END:VCARD":
                finish()
                if card is not None:
                    yield card
                card, current = (parents.pop() if parents else None), None
                continue
            if card is None:
                continue
            finish()
            current = None
            if _skipped(line):
                skipping = True
                continue
            if not line.strip():
                continue
            current = (number, line)
            joining = line.endswith(b"=") and _is_quoted_printable(line)
        finish()
        if card is not None and card.props:
            yield card  # a last card without END:VCARD is still read
    if progress is not None:
        progress("read", total, total)


class _Text:
    """Decodes property values: the declared charset, UTF-8, the file's, then the usual ones."""

    def __init__(self, encoding: str) -> None:
        self.encoding = "utf-8" if encoding in ("utf-8-sig", "utf-16") else encoding
        self.unreadable: list[tuple[str, str]] = []  # (property, text as best decoded)

    def __call__(self, prop: Prop) -> str:
        raw = prop.raw
        if prop.param("ENCODING").upper() in ("QUOTED-PRINTABLE", "QP"):
            raw = quopri.decodestring(raw)
        if raw.isascii():
            return raw.decode("ascii")
        declared = prop.param("CHARSET").upper()
        tried: list[str] = []
        if declared:
            tried.append(_CHARSETS.get(declared, declared.lower()))
        # UTF-8 before the file's guess: a GBK or Big5 run of characters is almost never
        # valid UTF-8, while UTF-8 read as GB18030 "succeeds" as nonsense (经理 -> 缁忕悊).
        tried.extend(("utf-8", self.encoding, *_FALLBACKS))
        for codec in dict.fromkeys(tried):
            try:
                text = raw.decode(codec)
            except (UnicodeDecodeError, LookupError):
                continue
            if not _UNREADABLE.search(text):
                return text
        # No charset reads it: its bytes are named (\xff\xfe), never stored as the
        # replacement or private-use characters a decoder would make of them.
        shown = raw.decode("utf-8", errors="backslashreplace")
        self.unreadable.append((prop.name, shown))
        return ""


def _unescape(text: str, version: str) -> str:
    if "\\" not in text:
        return text
    if version == "2.1":
        return text.replace("\\;", ";")
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(_UNESCAPES.get(text[i + 1], "\\" + text[i + 1]))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _split_escaped(text: str, sep: str, version: str) -> list[str]:
    """``text`` split at ``sep`` where it is not escaped, each part unescaped."""
    parts: list[str] = []
    piece: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            piece.append(text[i : i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append("".join(piece))
            piece = []
        else:
            piece.append(ch)
        i += 1
    parts.append("".join(piece))
    return [_unescape(part, version).strip() for part in parts]


# "赵六" <zhaoliu@example.cn>, 赵六 <zhaoliu@example.cn>, mailto:zhaoliu@example.cn
_MAILBOX = re.compile(r"^\s*(?:\"?([^\"<]*?)\"?\s*)?<([^<>\s]+@[^<>\s]+)>\s*$")

# A pause (comma) or wait (semicolon) before an extension, or tel:…;ext=808.
_TEL_EXTENSION = re.compile(r"^(.*?\d)\s*[,;]+\s*(\d{1,6})$")

_TAG_BREAKS = re.compile(r"[,，、;；/|\s\"]")

_WECHAT_WORDS = ("微信", "wechat", "weixin")


def _email(text: str) -> tuple[str, str]:
    """(address, display name) of an EMAIL value."""
    text = text.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    match = _MAILBOX.match(text)
    if match:
        return match.group(2), (match.group(1) or "").strip()
    return text, ""


def _phone(text: str) -> str:
    text = text.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    text = re.sub(r";ext=", ",", text, flags=re.IGNORECASE)
    match = _TEL_EXTENSION.match(text)
    if match:
        # The shared check reads 转808 as an extension: one number, not two.
        return f"{match.group(1)} 转{match.group(2)}"
    return text


_CHINESE_YEAR_BASE = 1984  # 甲子, the first year of the 78th sixty-year cycle
_ALT_BDAY = re.compile(r"^(\d{4})-?(\d{4})-?(\d{2})(L?)-?(\d{2})$")


def lunar_from_apple(text: str, leap_param: str = "") -> str:
    """An iPhone's ``X-ALTBDAY;CALSCALE=chinese`` value as kequ writes a lunar date.

    The value is cycle, year of the cycle, month and day (0078 0002 11 01 is the first
    day of the eleventh month of 1985); a cycle of 0 means no year was given.
    """
    match = _ALT_BDAY.match(text.strip())
    if match is None:
        return text.strip()
    cycle, year, month, mark, day = match.groups()
    leap = "闰" if mark or leap_param.lower() in ("1", "true", "yes") else ""
    if int(cycle) and int(year):
        solar_year = _CHINESE_YEAR_BASE + (int(cycle) - 78) * 60 + int(year) - 1
        return f"{solar_year:04d}-{leap}{month}-{day}"
    return f"{leap}{month}-{day}"


def apple_lunar_value(month: int, day: int, year: int | None) -> str:
    """The ``X-ALTBDAY;CALSCALE=chinese`` value of a lunar date; ``lunar_from_apple`` reads it."""
    if year:
        offset = year - _CHINESE_YEAR_BASE
        cycle, in_cycle = 78 + offset // 60, offset % 60 + 1
        return f"{cycle:04d}{in_cycle:04d}{month:02d}{day:02d}"
    return f"00000000{month:02d}{day:02d}"


def _bday(text: str, omitted: str) -> str:
    """vCard birthdays as the date check reads them; anything else is handed on as it is.

    A birthday without a year is --06-12 in vCard 4.0 and Android, 0000-06-12 on some
    phones, and on Apple devices a placeholder year named by X-APPLE-OMIT-YEAR (1604).
    """
    text = text.strip()
    date = text.split("T", 1)[0] if re.match(r"^[\d-]+T", text) else text
    if date.startswith("--"):
        digits = date[2:].replace("-", "")
        return f"{digits[:2]}-{digits[2:]}" if len(digits) == 4 and digits.isdigit() else text
    digits = date.replace("-", "")
    if len(digits) == 8 and digits.isdigit():
        if digits[:4] in (*NO_YEAR_YEARS, omitted):
            return f"{digits[4:6]}-{digits[6:]}"
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    return text


def _after_scheme(text: str) -> str:
    scheme, sep, rest = text.partition(":")
    if sep and scheme.lower() in ("x-apple", "weixin", "wechat", "wx", "im", "impp"):
        return rest.strip()
    return text.strip()


def _map_card(card: Card, encoding: str) -> Row:
    text = _Text(encoding)
    values: dict[str, list[tuple[str, str]]] = {}
    extras: list[tuple[str, str]] = []
    version = "3.0"
    for prop in card.props:
        if prop.name == "VERSION":
            version = text(prop).strip()

    def put(target: str, label: str, value: str) -> None:
        value = value.strip()
        if value:
            values.setdefault(target, []).append((label, value))

    def value(prop: Prop) -> str:
        return _unescape(text(prop), version).strip()

    fn = family = given = shown_as = ""
    mailbox_name = ""
    emails: list[str] = []
    tier = ""
    categories: list[str] = []
    for prop in card.props:
        name = prop.name
        if name == "FN":
            fn = fn or value(prop)
        elif name == "N":
            parts = [*_split_escaped(text(prop), ";", version), "", ""]
            if not (family or given):
                family, given = " ".join(parts[0].split(",")).strip(), " ".join(parts[1].split(",")).strip()
        elif name == "NICKNAME":
            for nick in _split_escaped(text(prop), ",", version):
                put("honorific", "NICKNAME", nick)
        elif name == "X-ANDROID-CUSTOM":
            parts = _split_escaped(text(prop), ";", version)
            if parts[0].endswith("/nickname") and len(parts) > 1:
                put("honorific", "NICKNAME", parts[1])
        elif name == "ORG":
            parts = [p for p in _split_escaped(text(prop), ";", version) if p]
            if parts:
                if "company" in values:
                    extras.append(("ORG", " ".join(parts)))
                else:
                    put("company", "ORG", parts[0])
                    extras.extend(("ORG", part) for part in parts[1:])
        elif name == "TITLE":
            if "title" in values:
                extras.append(("TITLE", value(prop)))
            else:
                put("title", "TITLE", value(prop))
        elif name == "ROLE":
            extras.append(("ROLE", value(prop)))
        elif name == "TEL":
            put("phones", "TEL", _phone(value(prop)))
        elif name == "EMAIL":
            address, display = _email(value(prop))
            if address:
                emails.append(address)
            mailbox_name = mailbox_name or display
        elif name == "BDAY":
            put("birthday", "BDAY", _bday(value(prop), prop.param("X-APPLE-OMIT-YEAR")))
        elif name == "X-ALTBDAY" and prop.param("CALSCALE").lower() == "chinese":
            put("lunar_birthday", "X-ALTBDAY", lunar_from_apple(value(prop), prop.param("X-LEAP-MONTH")))
        elif name == "ADR":
            parts = _split_escaped(text(prop), ";", version) + [""] * 7
            street = " ".join(p for p in (parts[2], parts[1]) if p)
            put("city", "ADR", parts[3] or parts[4])
            if "address" not in values:
                put("address", "ADR", street)
            elif street:
                extras.append(("ADR", street))
        elif name == "CATEGORIES":
            categories.extend(c for c in _split_escaped(text(prop), ",", version) if c)
        elif name == "NOTE":
            note = value(prop)
            if any(p.name == "X-ALTBDAY" for p in card.props):
                # Our own export repeats the lunar birthday in the note for Android.
                head, _, rest = note.partition("\n")
                if head.startswith(_lunar_note_heads()):
                    note = rest
            put("notes", "NOTE", note)
        elif name == "IMPP":
            service = prop.param("X-SERVICE-TYPE").lower()
            handle = value(prop)
            if any(w in service or handle.lower().startswith(w) for w in _WECHAT_WORDS):
                put("wechat", "IMPP", _after_scheme(handle))
            elif handle:
                extras.append((prop.param("X-SERVICE-TYPE") or "IMPP", _after_scheme(handle)))
        elif "WECHAT" in name or "WEIXIN" in name:
            put("wechat", name, value(prop))
        elif name == "X-ABSHOWAS":
            shown_as = value(prop).upper()
        elif name == "X-KEQU-TIER":
            tier = value(prop)
        elif name in _KEQU_FIELDS:
            put(_KEQU_FIELDS[name], name, value(prop))
    if has_cjk(family + given):
        # Chinese names read surname first with no space; N keeps the parts apart. The
        # FN is kept where it holds the same characters (张 三 as it was written).
        joined = family + given
        name = fn if fn and fn.replace(" ", "") == joined else joined
    else:
        name = fn or " ".join(x for x in (given, family) if x)
    if shown_as == "COMPANY" and name == values.get("company", [("", "")])[0][1]:
        name = ""  # the company shown in the name's place: the check names it from ORG
    put("name", "FN", name or mailbox_name)
    if emails:
        put("email", "EMAIL", ", ".join(dict.fromkeys(emails)))
    if tier:
        put("tier", "X-KEQU-TIER", tier)
        labels = {t(f"vocab.tier.{tier}", lang).casefold() for lang in ("zh", "en") if tier in _TIERS}
        categories = [c for c in categories if c.casefold() not in labels]
    for category in categories:
        # Quoted, one tag keeps its comma through the check's splitting ("华东,苏州").
        quoted = '"' + category.replace('"', '""') + '"' if _TAG_BREAKS.search(category) else category
        put("tags", "CATEGORIES", quoted)
    extras.extend(("vCard", line) for line in card.stray)
    # A report speaks of kequ's fields (生日, 电话), not of the card's properties (BDAY, TEL).
    values = {k: [(t(f"io.field.{k}"), text) for _, text in items] for k, items in values.items()}
    raw = {FIELD_LABELS_ZH[k]: "，".join(text for _, text in items) for k, items in values.items()}
    row = Row(card.line, values, extras, raw)
    # Text no charset reads is the shared check's to warn about (Row.unread, which puts it
    # in the notes as 导入时未能识别); where that field is missing it goes to the notes.
    getattr(row, "unread", extras).extend(text.unreadable)
    return row


def _lunar_note_heads() -> tuple[str, ...]:
    """How the export's lunar-birthday note line starts, in each language."""
    heads = set()
    for key in ("io.vcard.lunar_note", "io.vcard.lunar_note_year"):
        for lang in ("zh", "en"):
            heads.add(t(key, lang, when="§§", year="§§", next="§§").split("§§")[0])
    return tuple(heads)


_TIERS = ("key", "potential", "regular", "temporary")

# kequ's own fields that no vCard property holds, written by the export as X-KEQU-*.
_KEQU_FIELDS = {
    "X-KEQU-DISC": "disc",
    "X-KEQU-GENDER": "gender",
    "X-KEQU-DISTRICT": "district",
    "X-KEQU-SOURCE": "source",
    "X-KEQU-INTERESTS": "interests",
}


def vcard_rows(path: Path, encoding: str, report: ImportReport, progress: Progress | None) -> Iterator[Row]:
    found = False
    for number, card in enumerate(read_cards(path, encoding, progress), start=1):
        found = True
        try:
            row = _map_card(card, encoding)
        except Exception as error:  # a card shaped like nothing seen yet: it alone stays out
            detail = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
            report.rows += 1
            reason = t("io.row.vcard_broken", detail=detail)
            report.errors.append(RowError(card.line, "vCard", "", reason, "io.row.vcard_broken", card=number))
            report.rejected.append(RejectedRow(card.line, {"vCard": t("io.row.vcard_at_line", line=card.line)}))
            continue
        row.card = number
        yield row
    if not found:
        raise KequError("io.file.no_cards", path=path)
