"""How a complaint's problems, days and booked follow-ups read."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from kequ.domain.values import weekday_name
from kequ.errors import user_message
from kequ.i18n import t

if TYPE_CHECKING:
    from kequ.services.complaints import FollowupRecord


def problem_text(problem: BaseException) -> str:
    return user_message(problem) or str(problem)


def followup_list(items: list[tuple[date, str]]) -> str:
    parts = [
        t("complaint_ui.followup_item", day=day.isoformat(), weekday=weekday_name(day), kind=t(f"vocab.kind.{kind}"))
        for day, kind in items
    ]
    return t("complaint_ui.list_separator").join(parts)


def booked_message(followups: tuple[FollowupRecord, ...]) -> str:
    if not followups:
        return t("complaint_ui.booked_none")
    return t("complaint_ui.booked", dates=followup_list([(f.due, f.kind) for f in followups]))
