"""Checks on what a person types, shared by forms, the command line and imports.

Pure functions: text in, cleaned value out, or a KequError naming the field and the fix.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from enum import StrEnum

from kequ.errors import KequError
from kequ.records import NewCustomer
from kequ.vocab import CompanyRole, Disc, Ladder, RelationType, Stage, Tier

MAX_NAME = 60
MAX_SHORT = 200
MAX_NOTE = 100_000
_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{4,19}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def clean_text(value: str, max_len: int, field: str) -> str:
    """Strip control characters (terminal escapes, NUL) and surrounding space.

    Line breaks and tabs survive in long notes; everything else in the Cc category is a
    way to smuggle escape sequences into a terminal, so it goes.
    """
    keep = "\n\t" if max_len >= MAX_NOTE else ""
    cleaned = "".join(ch for ch in value if ch in keep or unicodedata.category(ch) != "Cc").strip()
    if len(cleaned) > max_len:
        raise KequError("input.too_long", field=field, limit=max_len, length=len(cleaned))
    return cleaned


def check_phone(value: str) -> str:
    phone = clean_text(value, MAX_SHORT, "phone")
    if phone and not _PHONE.match(phone):
        raise KequError("input.bad_phone", value=phone)
    return phone


def check_email(value: str) -> str:
    email = clean_text(value, MAX_SHORT, "email")
    if email and not _EMAIL.match(email):
        raise KequError("input.bad_email", value=email)
    return email


def check_choice(value: str | None, allowed: type[StrEnum], field: str) -> str | None:
    if value is None or value == "":
        return None
    options = {member.value.lower(): member.value for member in allowed}
    found = options.get(value.strip().lower())
    if found is None:
        raise KequError("input.bad_choice", field=field, value=value, options="/".join(options.values()))
    return found


def check_new_customer(data: NewCustomer) -> NewCustomer:
    name = clean_text(data.name, MAX_NAME, "name")
    if not name:
        raise KequError("input.empty_name")
    return replace(
        data,
        name=name,
        honorific=clean_text(data.honorific, MAX_NAME, "honorific"),
        company=clean_text(data.company, MAX_SHORT, "company"),
        title=clean_text(data.title, MAX_SHORT, "title"),
        phones=tuple(p for p in (check_phone(p) for p in data.phones) if p),
        wechat=clean_text(data.wechat, MAX_SHORT, "wechat"),
        email=check_email(data.email),
        city=clean_text(data.city, MAX_SHORT, "city"),
        tier=check_choice(data.tier, Tier, "tier") or Tier.REGULAR.value,
        disc=check_choice(data.disc, Disc, "disc"),
        tags=tuple(t for t in (clean_text(t, MAX_SHORT, "tag") for t in data.tags) if t),
        notes=clean_text(data.notes, MAX_NOTE, "notes"),
    )


def split_list(value: str) -> list[str]:
    """Phones and tags typed in one box: commas (either width), 、 or semicolons separate."""
    for sep in "，、;；":
        value = value.replace(sep, ",")
    return [part.strip() for part in value.split(",") if part.strip()]


# Fields a person may edit on the profile, each with its checker.
TEXT_FIELDS = {
    "honorific": MAX_NAME,
    "company": MAX_SHORT,
    "title": MAX_SHORT,
    "wechat": MAX_SHORT,
    "city": MAX_SHORT,
    "district": MAX_SHORT,
    "address": MAX_SHORT,
    "source": MAX_SHORT,
    "churn_reason": MAX_SHORT,
    "ford_family": MAX_NOTE,
    "ford_occupation": MAX_NOTE,
    "ford_recreation": MAX_NOTE,
    "ford_dreams": MAX_NOTE,
    "interests": MAX_NOTE,
    "notes": MAX_NOTE,
}
CHOICE_FIELDS: dict[str, type[StrEnum]] = {
    "tier": Tier,
    "disc": Disc,
    "stage": Stage,
    "relation_type": RelationType,
    "ladder": Ladder,
    "company_role": CompanyRole,
}
REQUIRED_CHOICES = {"tier", "stage"}


def check_field(field: str, raw: str) -> object:
    """The cleaned value to store for one edited field, or a KequError saying why not."""
    if field == "name":
        name = clean_text(raw, MAX_NAME, "name")
        if not name:
            raise KequError("input.empty_name")
        return name
    if field in TEXT_FIELDS:
        return clean_text(raw, TEXT_FIELDS[field], field)
    if field == "email":
        return check_email(raw)
    if field == "phones":
        return [check_phone(p) for p in split_list(raw)]
    if field == "tags":
        return [clean_text(t, MAX_SHORT, "tag") for t in split_list(raw)]
    if field in CHOICE_FIELDS:
        value = check_choice(raw, CHOICE_FIELDS[field], field)
        if value is None and field in REQUIRED_CHOICES:
            raise KequError("input.bad_choice", field=field, value=raw, options="/".join(CHOICE_FIELDS[field]))
        return value
    if field == "churned":
        return raw.strip().lower() in {"1", "true", "yes", "y", "是"}
    raise KequError("input.unknown_field", field=field)
