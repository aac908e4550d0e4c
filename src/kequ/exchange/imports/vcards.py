"""A phone's contacts export (vCard 2.1, 3.0, 4.0) read into checked rows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kequ.errors import KequError
from kequ.exchange.imports.fields import PROGRESS_EVERY, Progress
from kequ.exchange.imports.mapping import FIELD_LABELS_ZH
from kequ.exchange.imports.readers import text_lines
from kequ.exchange.imports.report import ImportReport, RejectedRow, RowError
from kequ.exchange.imports.rows import Row
from kequ.i18n import t

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
        for number, physical in enumerate(text_lines(raw, encoding), start=1):
            line = physical.rstrip("\r\n")
            if progress is not None and number % (PROGRESS_EVERY * 10) == 0:
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


def _card_row(start: int, lines: list[str]) -> Row | RowError:
    import vobject

    body = "BEGIN:VCARD\r\n" + "\r\n".join(lines) + "\r\nEND:VCARD\r\n"
    try:
        return _map_card(start, vobject.readOne(body, ignoreUnreadable=False))
    except Exception as error:  # vobject raises ParseError, ValueError, odd value shapes
        detail = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        return RowError(start, "vCard", "", t("io.row.vcard_broken", detail=detail), "io.row.vcard_broken")


def _map_card(start: int, card: Any) -> Row:
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
    raw = {FIELD_LABELS_ZH[k]: "，".join(text for _, text in items) for k, items in values.items()}
    return Row(start, values, extras, raw)


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


def vcard_rows(path: Path, encoding: str, report: ImportReport, progress: Progress | None) -> Iterator[Row]:
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
