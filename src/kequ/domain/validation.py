"""Checks on what a person types, shared by forms, the command line and imports.

Pure functions: text in, cleaned value out, or a KequError naming the field and the fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from enum import StrEnum

from kequ.domain.gender import parse_gender
from kequ.domain.records import NewCustomer
from kequ.domain.vocab import CompanyRole, Disc, Ladder, RelationType, Stage, Tier
from kequ.errors import KequError
from kequ.i18n import t
from kequ.inert import inert_text

MAX_NAME = 60
# Who the customer is and how to reach them, in the order a salesperson fills them in.
CONTACT_FIELDS = (
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
)
MAX_SHORT = 200
MAX_NOTE = 100_000
# A number, and an extension after 转 (0512-66881234 转808), as an import keeps it.
_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{4,19}(?: ?转[0-9]{1,6})?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def clean_text(value: str, max_len: int, field: str) -> str:
    """Strip control, bidi and zero-width characters (``inert_text``) and surrounding space.

    Line breaks and tabs survive in long notes; everything else in the Cc category is a
    way to smuggle escape sequences into a terminal, so it goes.
    """
    if not isinstance(value, str):
        raise KequError("input.not_text", field=field, value=_shown(value))
    cleaned = inert_text(value, multiline=max_len >= MAX_NOTE).strip()
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
    """The form's or ``kequ add``'s customer, each field through ``check_customer_field``."""
    return replace(
        data,
        name=str(check_customer_field("name", data.name)),
        honorific=str(check_customer_field("honorific", data.honorific)),
        company=str(check_customer_field("company", data.company)),
        title=str(check_customer_field("title", data.title)),
        phones=tuple(_texts(check_customer_field("phones", data.phones))),
        wechat=str(check_customer_field("wechat", data.wechat)),
        email=str(check_customer_field("email", data.email)),
        city=str(check_customer_field("city", data.city)),
        tier=str(check_customer_field("tier", data.tier or Tier.REGULAR.value)),
        disc=check_customer_field("disc", data.disc),  # type: ignore[arg-type]
        gender=check_customer_field("gender", data.gender),  # type: ignore[arg-type]
        tags=tuple(_texts(check_customer_field("tags", data.tags))),
        notes=str(check_customer_field("notes", data.notes)),
        stage=str(check_customer_field("stage", data.stage)),
    )


def split_list(value: str) -> list[str]:
    """A list typed in one box or argument (phones, tags, a setting's tiers, --take): commas
    of either width, 、 or semicolons separate; blanks around the items go."""
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
    "churn_note": MAX_NOTE,
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
# Every stored customer field ``check_customer_field`` knows.
CUSTOMER_FIELDS = frozenset({"name", "email", "phones", "tags", "churned", "gender", *TEXT_FIELDS, *CHOICE_FIELDS})


def _shown(value: object) -> str:
    """A value of the wrong type as the file wrote it, short and inert, for a message."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except ValueError:
        text = repr(value)
    text = inert_text(text)
    return text if len(text) <= 40 else text[:39] + "…"


def _label(field: str) -> str:
    """电话（phones）: the name a salesperson knows, and the key a JSON file uses."""
    return f"{t(f'field.{field}')}（{field}）"


def _wrong(field: str, value: object) -> str:
    key = "input.not_list" if field in ("phones", "tags") else "input.not_text"
    raise KequError(key, field=_label(field), value=_shown(value))


def _texts(value: object) -> list[str]:
    assert isinstance(value, list)
    return value


def _text_list(field: str, value: object) -> Sequence[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        _wrong(field, value)
    assert isinstance(value, list | tuple)
    return value


def check_customer_field(field: str, value: object) -> object:
    """The one type check and cleaning of a customer's stored field, for every way in.

    Forms, ``kequ add``, spreadsheets, contact cards and JSON exports all end here: text
    must be text, phones and tags lists of text, a choice one of its values, ``churned``
    true or false. Returns the value to store, or raises a KequError naming the field.
    """
    if field == "name":
        if not isinstance(value, str):
            _wrong(field, value)
        name = clean_text(str(value), MAX_NAME, "name")
        if not name:
            raise KequError("input.empty_name")
        return name
    if field in TEXT_FIELDS:
        if not isinstance(value, str):
            _wrong(field, value)
        return clean_text(str(value), TEXT_FIELDS[field], field)
    if field == "email":
        if not isinstance(value, str):
            _wrong(field, value)
        return check_email(str(value))
    if field == "phones":
        return [p for p in (check_phone(p) for p in _text_list(field, value)) if p]
    if field == "tags":
        return [tag for tag in (clean_text(t, MAX_SHORT, "tag") for t in _text_list(field, value)) if tag]
    if field in CHOICE_FIELDS:
        if value is not None and not isinstance(value, str):
            _wrong(field, value)
        choice = check_choice(value, CHOICE_FIELDS[field], field)  # type: ignore[arg-type]
        if choice is None and field in REQUIRED_CHOICES:
            raise KequError("input.bad_choice", field=field, value=value, options="/".join(CHOICE_FIELDS[field]))
        return choice
    if field == "gender":
        # 女/男, f/m, female/male; empty or None: not said (then guessed from the 称呼).
        if value is not None and not isinstance(value, str):
            _wrong(field, value)
        return parse_gender(value)  # type: ignore[arg-type]
    if field == "churned":
        if not isinstance(value, bool):
            raise KequError("input.not_bool", field=_label(field), value=_shown(value))
        return value
    raise KequError("input.unknown_field", field=field)


def check_field(field: str, raw: str) -> object:
    """The cleaned value to store for one edited field, or a KequError saying why not."""
    if field in ("phones", "tags"):
        return check_customer_field(field, split_list(raw))
    if field == "churned":
        return raw.strip().lower() in {"1", "true", "yes", "y", "是"}
    return check_customer_field(field, raw)
