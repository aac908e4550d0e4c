"""The fields a customer file can fill, and how progress is reported."""

from __future__ import annotations

from collections.abc import Callable

from kequ.domain.validation import CONTACT_FIELDS

# Called as progress(phase, done, total): phase is "read" (done/total in bytes or rows)
# or "write" (rows); total is None when unknown.
Progress = Callable[[str, int, int | None], None]

FIELDS: tuple[str, ...] = (
    *CONTACT_FIELDS,
    "birthday",
    "lunar_birthday",
    "tier",
    "disc",
    "gender",
    "tags",
    "notes",
    "source",
    "interests",
)

IGNORE = "-"

# Columns a file may split a name or a row's kind into; they feed the row check only.
# First Name / Last Name (Google, Outlook) and 名 / 姓 are joined into the name; a WeChat
# export's 类型 (好友, 群聊, 企业客户) says which rows are people.
# They are no columns of kequ's own sheet, so an export does not write them.
NAME_PARTS = ("family_name", "given_name", "middle_name")
KIND = "kind"
# A yearly date other than the birthday (Outlook's 纪念日): an important date of its own.
ANNIVERSARY = "anniversary"
PARTS: tuple[str, ...] = (*NAME_PARTS, KIND, ANNIVERSARY)

# Several columns may feed these (手机 and 办公电话); the rest take the first column only.
MULTI = frozenset({"phones", "tags", "notes"})

# Plain text columns an import reads, with the same length limits as the profile form.
TEXT_COLUMNS = ("honorific", "company", "title", "wechat", "city", "district", "address", "source", "interests")

SAMPLE_BYTES = 64 * 1024

PROGRESS_EVERY = 500
