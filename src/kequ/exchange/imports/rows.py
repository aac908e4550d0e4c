"""One row checked as a person would: each problem named with its line, column and fix."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
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
    split_list,
)
from kequ.errors import KequError, user_message
from kequ.exchange.imports.fields import TEXT_COLUMNS
from kequ.exchange.imports.report import RowError
from kequ.i18n import t


@dataclass
class Row:
    line: int
    values: dict[str, list[tuple[str, str]]]  # field -> [(column label, text)]
    extras: list[tuple[str, str]]  # unknown columns, kept as "label：value" in the notes
    raw: dict[str, str]  # as read, for the error report


@dataclass(eq=False)
class Candidate:
    """A checked row: the customer's fields, ready to insert or to merge."""

    line: int
    data: dict[str, Any]
    dates: list[AnnualDate]
    into_row: Candidate | None = None  # merged into an earlier row of the file
    into_db: int | None = None  # merged into an existing customer


_TIER_LOOKUP = {norm_word(w): tier for tier, words in TIER_WORDS.items() for w in words}

_DISC_LOOKUP = {norm_word(w): disc for disc, words in DISC_WORDS.items() for w in words}

# What Excel itself would run: =SUM(, =A1, +cmd|' /C calc'!A0. A phone like +86 138 is not one.
_FORMULA = re.compile(r"^[=+\-@]\s*(?:[A-Za-z_][A-Za-z0-9_.]*\s*\(|\$?[A-Za-z]{1,3}\$?\d+\b|.*\|.*!)")

# Excel showing a long number as 1.38E+10 has already thrown the digits away.
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d+$")

_PHONE_SPLIT = re.compile(r"[,，、;；/\n]+")

_DATE_WITH_TIME = re.compile(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")

# The neutralising quote our own export put before a leading = + - @.
_NEUTRALISED = re.compile(r"^'(?=[=+\-@\t\r])")


def _problem(line: int, column: str, value: str, error: Exception) -> RowError:
    key = getattr(error, "key", "io.row.invalid")
    return RowError(line, column, value, user_message(error) or str(error), key)


def _checked(check: Callable[[str], str], value: str, line: int, column: str, errors: list[RowError]) -> str | None:
    """The value as `check` cleans it, or None with the reason added to the row's errors."""
    try:
        return check(value)
    except KequError as error:
        errors.append(_problem(line, column, value, error))
        return None


def check_row(row: Row, spreadsheet: bool = True) -> tuple[Candidate | None, list[RowError]]:
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
    for name in TEXT_COLUMNS:
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
            phone = _checked(check_phone, piece, line, label, errors)
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

    for field, lookup in (("tier", _TIER_LOOKUP), ("disc", _DISC_LOOKUP)):
        label, text = first(field)
        data[field] = lookup.get(norm_word(text)) if text else None
        if text and data[field] is None:
            key = f"io.row.bad_{field}"
            errors.append(RowError(line, label, text, t(key, value=text), key))

    label, text = first("gender")
    try:
        data["gender"] = parse_gender(text)
    except KequError as error:
        errors.append(_problem(line, label, text, error))

    tags: list[str] = []
    for label, text in clean.get("tags", []):
        for piece in split_list(text):
            tag = _checked(lambda text, label=label: clean_text(text, MAX_SHORT, label), piece, line, label, errors)
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
        lunar = name == "lunar_birthday" or says_lunar(value)
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
    return Candidate(line, data, dates), []


_PHONE_TIDY = str.maketrans({"(": " ", ")": " ", "（": " ", "）": " ", ".": "-", "\u3000": " "})


def _column_label(row: Row, name: str) -> str:
    items = row.values.get(name)
    if items:
        return items[0][0]
    return t(f"io.col.{name}") if name in ("birthday", "lunar_birthday") else t(f"field.{name}")
