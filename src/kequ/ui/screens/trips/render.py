"""How a trip, a customer worth seeing and a visit plan read on the screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from kequ.domain.values import colon
from kequ.i18n import language, t
from kequ.ui.widgets.badges import disc_badge, plain

if TYPE_CHECKING:  # the domain loads with the data, after the first frame
    from kequ.domain.trips import TripCandidate, TripSummary, VisitPlan, VisitView

TABS = ("tab-candidates", "tab-visits", "tab-sheet", "tab-expenses", "tab-summary")

FLAG_STYLE = {
    "complaint": "bold white on #b03a2e",
    "key_unvisited": "bold white on #7d3c98",
    "visit_due": "bold white on #2e86c1",
    "at_risk": "bold black on #e67e22",
    "birthday": "bold black on #f1c40f",
    "occasion": "bold black on #f7dc6f",
    "festival": "bold white on #1e8449",
}

# The candidates: who and why first, so a narrow terminal still shows what decides.
CANDIDATE_COLUMNS = (
    "trip.col.flags",
    "col.customer",
    "trip.col.why",
    "trip.col.planned",
    "trip.col.last_visit",
    "col.tier",
    "col.disc",
    "col.company",
)

WHY_MIN, WHY_MAX = 24, 56

CANDIDATE_OTHERS = 64  # flags, customer, planned day and last visit

STATUS_STYLE = {"planned": "", "done": "green", "cancelled": "dim strike"}


def paren(text: str) -> str:
    return t("trip.paren", text=text)


def money(cents: int) -> str:
    from kequ.domain.trips import money

    return money(cents)


def flags_text(flags: tuple[str, ...]) -> Text:
    from kequ.domain.trips import flag_label

    text = Text(no_wrap=True, overflow="ellipsis")
    for flag in flags:
        text.append(f"{flag_label(flag)}", style=FLAG_STYLE.get(flag, "reverse"))
        text.append(" ")
    return text


def _label(key: str) -> Text:
    # A label never breaks inside itself (NBSP): the long text after it wraps instead.
    return Text(t(key).replace(" ", "\u00a0") + colon(), style="bold")


def _line(text: Text, key: str, value: str) -> None:
    if value.strip():
        text.append_text(_label(key))
        text.append(value)
        text.append("\n")


def candidate_text(candidate: TripCandidate) -> Text:
    """Why this customer, in full: the trip's reasons, then every touch owed by the trip's end."""
    from kequ.domain.agenda.reasons import kind_label, reason_text
    from kequ.domain.agenda.suggest import tone_for
    from kequ.domain.disc import approach
    from kequ.domain.gender import known_gender
    from kequ.domain.life_events import CONDOLENCE
    from kequ.domain.trips import why_text

    customer = candidate.customer
    text = plain(customer.display_name, "bold")
    text.no_wrap = False
    if customer.company:
        text.append(f"  {customer.company} {customer.title}".rstrip(), style="dim")
    text.append("  ")
    text.append_text(disc_badge(customer.disc))
    text.append("\n")
    for why in candidate.reasons:
        text.append("• ")
        text.append(why_text(why))
        text.append("\n")
    for item in candidate.due[:4]:
        text.append(f"  {kind_label(item.kind)}{colon()}", style="dim")
        text.append(reason_text(item), style="dim")
        text.append("\n")
    care = any(tone_for(item) == CONDOLENCE for item in candidate.due)
    gender = known_gender(customer.gender, customer.honorific).gender
    _line(text, "trip.sheet.approach", approach(customer.disc, "visit", language(), care=care, gender=gender))
    return text


def plan_text(plan: VisitPlan, number: int | None = None) -> Text:
    """One visit's plan: when and where, why, the people there, gifts, the approach."""
    from kequ.domain.trips import day_label, person_text

    visit = plan.visit
    text = Text()
    if number is not None:
        text.append(f"{number}. ", style="bold")
    text.append(f"{day_label(visit.day)} {visit.time or t('trip.sheet.any_time')}  ", style="bold")
    text.append(visit.customer_name, style="bold")
    if visit.company:
        text.append(f"  {visit.company}", style="dim")
    if plan.title:
        text.append(f" {plan.title}", style="dim")
    text.append("  ")
    text.append_text(disc_badge(visit.disc))
    if visit.status != "planned":
        text.append(f"  {t(f'trip.status.{visit.status}')}", style=STATUS_STYLE.get(visit.status, ""))
    text.append("\n")
    contact = "、".join(plan.phones)
    if plan.wechat:
        contact = f"{contact}  {t('trip.sheet.wechat')} {plan.wechat}".strip()
    _line(text, "trip.sheet.place", visit.place)
    _line(text, "trip.sheet.phone", contact)
    _line(text, "trip.sheet.purpose", visit.purpose)
    _line(text, "trip.sheet.bring", visit.bring)
    people = t("trip.semicolon").join(person_text(p) for p in plan.people)
    _line(text, "trip.sheet.people", people or t("trip.sheet.nobody_else"))
    given = "、".join(g.item + paren(f"{g.given_on:%Y-%m}") for g in plan.gifts_given) or t("trip.sheet.no_gifts")
    _line(text, "trip.sheet.gifts_given", given)
    _line(text, "trip.sheet.gift_ideas", "、".join(plan.gift_ideas))
    _line(text, "trip.sheet.approach", plan.approach)
    if plan.last_contacts:
        text.append_text(_label("trip.sheet.last_contact"))
        text.append("\n")
    for day, kind, notes in plan.last_contacts:
        text.append(f"  {day.isoformat()} {t(f'vocab.kind.{kind}')} ", style="dim")
        text.append(" ".join(notes.split()), style="dim")
        text.append("\n")
    if visit.status == "done":
        text.append(f"{t('trip.sheet.write_up')}\n", style="bold underline")
        _line(text, "trip.write_up.learned", visit.learned)
        _line(text, "trip.write_up.needs", visit.needs)
        _line(text, "trip.write_up.competitors", visit.competitors)
        _line(text, "trip.write_up.next_step", _next(visit))
    return text


def _next(visit: VisitView) -> str:
    text = visit.next_step
    if visit.next_on:
        when = f"{visit.next_on.isoformat()} {t(f'vocab.kind.{visit.next_kind}')}"
        text = text + paren(when) if text else when
    return text


def summary_text(summary: TripSummary) -> Text:
    """The trip report on screen: the same parts as the exported Markdown."""
    from kequ.domain.trips import day_label

    trip = summary.trip
    text = Text()
    text.append(f"{trip.name}\n", style="bold")
    text.append(t("trip.sheet.subtitle", cities="、".join(trip.cities), start=trip.start_on, end=trip.end_on))
    text.append("\n")
    text.append(t("trip.report.counts", done=trip.done, planned=trip.planned, cancelled=trip.cancelled))
    text.append("\n\n")
    text.append(f"{t('trip.report.visits')}\n", style="bold underline")
    if not summary.done:
        text.append(f"{t('trip.report.no_visits')}\n", style="dim")
    for visit in summary.done:
        text.append(f"{day_label(visit.day)} {visit.time or ''}  ".lstrip(), style="bold")
        text.append(visit.customer_name, style="bold")
        if visit.company:
            text.append(f"  {visit.company}", style="dim")
        text.append("\n")
        _line(text, "trip.write_up.learned", visit.learned)
        _line(text, "trip.write_up.needs", visit.needs)
        _line(text, "trip.write_up.competitors", visit.competitors)
        _line(text, "trip.write_up.next_step", _next(visit))
    text.append(f"\n{t('trip.report.next_steps')}\n", style="bold underline")
    for visit in summary.next_steps:
        text.append(f"• {visit.customer_name}{colon()}")
        text.append(_next(visit))
        text.append("\n")
    if not summary.next_steps:
        text.append(f"{t('trip.report.none')}\n", style="dim")
    text.append(f"\n{t('trip.report.gifts')}\n", style="bold underline")
    for gift in summary.gifts:
        text.append(f"• {gift.day.isoformat()} {gift.customer_name}{colon()}")
        text.append(gift.item)
        if gift.cost_cents is not None:
            text.append(f"  {money(gift.cost_cents)}", style="dim")
        text.append("\n")
    if not summary.gifts:
        text.append(f"{t('trip.report.none')}\n", style="dim")
    text.append(f"\n{t('trip.report.expenses')}\n", style="bold underline")
    for category, cents in summary.by_category.items():
        text.append(f"{t(f'trip.category.{category}')}  {money(cents)}\n")
    text.append(f"{t('trip.report.total')}  {money(summary.total_cents)}\n", style="bold")
    return text
