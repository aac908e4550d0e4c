"""Festival greetings: who is owed one, the coming festivals, and recording each greeting.

A greeting is the festival item of the agenda (source key ``festival:<key>``, occurrence =
the festival's day) handled one customer at a time, so whatever is marked here leaves
Today too, and whatever was done from Today is not offered here again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from kequ.domain.agenda.rules import LOOKBACK_DAYS, TIER_WEIGHT, Rules
from kequ.domain.calendar.holidays import HolidayInfo, HolidayYear, holiday_calendar, holiday_for, load_user_folder
from kequ.domain.calendar.lunar import FESTIVAL_KEYS, AnnualDate, DateInputError, festivals, festivals_between
from kequ.domain.life_events import in_mourning, losses
from kequ.domain.templates import Template, occasion_label, render, sign
from kequ.domain.validation import MAX_NOTE, clean_text
from kequ.domain.vocab import DateKind, Tier, TouchKind, TouchStatus
from kequ.errors import KequError
from kequ.i18n import language, t
from kequ.services.agenda import load_rules, moment_on
from kequ.storage import clock
from kequ.storage.database import Database
from kequ.storage.models import Customer, GreetingTemplate, ImportantDate, Interaction, Touchpoint

HOLIDAY_FOLDER = "holidays"
UPCOMING_DAYS = 90
_HANDLED = (TouchStatus.DONE.value, TouchStatus.SKIPPED.value)


@dataclass(frozen=True, slots=True)
class GreetRow:
    """One customer to greet for one festival occurrence."""

    customer_id: int
    name: str
    honorific: str
    company: str
    tier: str
    disc: str | None
    status: str | None = None  # the Touchpoint's: "done", "skipped"; None or open otherwise

    @property
    def greeted(self) -> bool:
        """Done or skipped: either way this occurrence is not offered again."""
        return self.status in _HANDLED

    @property
    def who(self) -> str:
        return self.honorific or self.name


@dataclass(frozen=True, slots=True)
class FestivalRow:
    """A coming festival and how far its greetings have got."""

    key: str
    name: str
    date: date
    days_left: int  # negative for a festival a few days past, still worth a late greeting
    total: int  # customers to greet
    done: int  # of them, greeted or skipped
    holiday: HolidayInfo
    in_list: bool  # among the festivals the user greets (Rules.festival_keys)
    mourning: int = 0  # customers left out: their family is in its first year of mourning

    @property
    def left(self) -> int:
        return self.total - self.done


def holiday_dir(db_path: Path) -> Path:
    """Where the user puts newer holiday files: beside the database, in ``holidays/``."""
    return db_path.parent / HOLIDAY_FOLDER


def holiday_problems(db_path: Path, lang: str | None = None) -> list[str]:
    """Why each refused file in the user's holiday folder was refused, ready to show."""
    _years, problems = load_user_folder(holiday_dir(db_path))
    return [problem.message(lang) for problem in problems]


def _check_key(festival_key: str) -> None:
    if festival_key not in FESTIVAL_KEYS:
        raise KequError("input.bad_choice", field="festival", value=festival_key, options="/".join(FESTIVAL_KEYS))


def _festival_days(festival_key: str, year: int) -> list[date]:
    try:
        found = festivals(year)
    except DateInputError as error:
        raise KequError(error.key, **error.params) from error
    return [f.date for f in found if f.key == festival_key]


def festival_occurrence(festival_key: str, year: int | None, today: date) -> date:
    """The festival's day in ``year``; with no year, its next day (or one only just past).

    腊八 can fall twice in one Gregorian year (January and December) or not at all; of
    two, the one still ahead (or only just past) is meant, else the later one.
    """
    _check_key(festival_key)
    since = today - timedelta(days=LOOKBACK_DAYS["festival"])
    if year is None:
        try:
            # Every festival comes round within 400 days of any day.
            coming = festivals_between(since, since + timedelta(days=400))
        except DateInputError as error:
            raise KequError(error.key, **error.params) from error
        found = next((f.date for f in coming if f.key == festival_key), None)
        if found is None:  # only past the end of the supported calendar
            raise KequError("festivals_ui.no_occurrence", year=since.year, festival=occasion_label(festival_key))
        return found
    days = _festival_days(festival_key, year)
    if not days:
        raise KequError("festivals_ui.no_occurrence", year=year, festival=occasion_label(festival_key))
    return next((d for d in days if d >= since), days[-1])


def _check_occurrence(festival_key: str, occurrence: date) -> None:
    _check_key(festival_key)
    if occurrence not in _festival_days(festival_key, occurrence.year):
        raise KequError(
            "festivals_ui.no_occurrence", year=occurrence.isoformat(), festival=occasion_label(festival_key)
        )


def _eligible(session: Session, rules: Rules) -> list[GreetRow]:
    """Everyone greeted under the rules, key customers first, then in address-book order."""
    from kequ.domain.search import Candidate, SearchIndex

    rows = session.exec(
        select(
            Customer.id,
            Customer.name,
            Customer.honorific,
            Customer.company,
            Customer.tier,
            Customer.disc,
            Customer.search_keys,
        ).where(col(Customer.tier).in_(sorted(rules.festival_tiers)), Customer.churned == False)  # noqa: E712
    ).all()
    by_id = {row[0]: GreetRow(row[0], row[1], row[2], row[3], row[4], row[5]) for row in rows}
    # The address book's own order (tier weight, then pinyin), so both lists read alike.
    index = SearchIndex(Candidate(row[0], row[6], row[1], TIER_WEIGHT.get(row[4], 0)) for row in rows)
    return [by_id[cid] for cid in index.search("")]


def _bereaved(session: Session) -> dict[int, list[date]]:
    """{customer id: days of a loss in the family}: their festival greetings wait (守孝)."""
    rows = session.exec(
        select(
            ImportantDate.customer_id,
            ImportantDate.month,
            ImportantDate.day,
            ImportantDate.lunar,
            ImportantDate.leap,
            ImportantDate.year,
        ).where(ImportantDate.kind == DateKind.BEREAVEMENT.value)
    ).all()
    bereavement = DateKind.BEREAVEMENT.value
    return losses(
        (cid, bereavement, AnnualDate(month, day, lunar, leap, year)) for cid, month, day, lunar, leap, year in rows
    )


def _statuses(session: Session, festival_key: str, occurrence: date) -> dict[int, str]:
    rows = session.exec(
        select(Touchpoint.customer_id, Touchpoint.status).where(
            Touchpoint.source_key == f"festival:{festival_key}", Touchpoint.occurrence == occurrence
        )
    )
    return dict(rows.all())


def greet_rows(db: Database, festival_key: str, occurrence: date) -> list[GreetRow]:
    """Who is greeted for this occurrence, in order, each with what was done so far.

    A customer whose family is in its first year of mourning is left out, as on Today.
    """
    _check_occurrence(festival_key, occurrence)
    with db.session() as session:
        rules = load_rules(session)
        people = _eligible(session, rules)
        statuses = _statuses(session, festival_key, occurrence)
        bereaved = _bereaved(session)
    return [
        GreetRow(p.customer_id, p.name, p.honorific, p.company, p.tier, p.disc, statuses.get(p.customer_id))
        for p in people
        if not in_mourning(bereaved.get(p.customer_id, ()), occurrence)
    ]


def greet_list(db: Database, festival_key: str, year: int | None, today: date) -> list[GreetRow]:
    """Who is to be greeted for the festival in ``year`` (None: its next one): greeted tiers, not churned.

    Key customers first, then by name; ``greeted`` says whether it is already done or skipped.
    """
    return greet_rows(db, festival_key, festival_occurrence(festival_key, year, today))


def greet_list_json(db: Database, festival_key: str, year: int | None, today: date) -> list[dict[str, object]]:
    """``kequ festivals --greet-list KEY [--year Y] --json``: plain values only; no year means the next one."""
    return [
        {
            "id": row.customer_id,
            "name": row.name,
            "honorific": row.honorific,
            "company": row.company,
            "tier": row.tier,
            "disc": row.disc,
            "greeted": row.greeted,
        }
        for row in greet_list(db, festival_key, year, today)
    ]


def upcoming_festivals(
    db: Database, today: date, days: int = UPCOMING_DAYS, user_dir: Path | None = None
) -> list[FestivalRow]:
    """The festivals of the next ``days`` days (and of the last few), with greeting progress.

    Every festival is listed, the ones the user does not greet too (flagged ``in_list``):
    a Christmas card to one customer is still a choice to offer. ``user_dir`` defaults to
    the holiday folder beside the database.
    """
    start = today - timedelta(days=LOOKBACK_DAYS["festival"])
    coming = festivals_between(start, today + timedelta(days=days))
    if not coming:
        return []
    folder = holiday_dir(db.path) if user_dir is None else user_dir
    with db.session() as session:
        rules = load_rules(session)
        eligible = {p.customer_id for p in _eligible(session, rules)}
        bereaved = {cid: days for cid, days in _bereaved(session).items() if cid in eligible}
        handled = session.exec(
            select(Touchpoint.customer_id, Touchpoint.source_key, Touchpoint.occurrence).where(
                col(Touchpoint.source_key).startswith("festival:"),
                col(Touchpoint.status).in_(_HANDLED),
                Touchpoint.occurrence >= coming[0].date,
                Touchpoint.occurrence <= coming[-1].date,
            )
        ).all()
    done: dict[tuple[str, date], int] = {}
    for customer_id, source_key, occurrence in handled:
        if customer_id in eligible and not in_mourning(bereaved.get(customer_id, ()), occurrence):
            slot = (source_key.split(":", 1)[1], occurrence)
            done[slot] = done.get(slot, 0) + 1
    years: dict[int, HolidayYear | None] = {}
    out: list[FestivalRow] = []
    for festival in coming:
        year = festival.date.year
        if year not in years:
            years[year] = holiday_calendar(year, folder)
        mourning = sum(1 for days in bereaved.values() if in_mourning(days, festival.date))
        out.append(
            FestivalRow(
                key=festival.key,
                name=occasion_label(festival.key),
                date=festival.date,
                days_left=(festival.date - today).days,
                total=len(eligible) - mourning,
                done=done.get((festival.key, festival.date), 0),
                holiday=holiday_for(festival.key, festival.date, years[year]),
                in_list=festival.key in rules.festival_keys,
                mourning=mourning,
            )
        )
    return out


def greeted_tiers(db: Database) -> list[str]:
    """The tiers greeted at festivals, heaviest first."""
    with db.session() as session:
        tiers = load_rules(session).festival_tiers
    return sorted(tiers, key=lambda tier: -TIER_WEIGHT.get(tier, 0))


def tier_names(tiers: Iterable[str], lang: str | None = None) -> str:
    known = {tier.value for tier in Tier}
    names = [t(f"vocab.tier.{tier}", lang) if tier in known else tier for tier in tiers]
    return t("festivals_ui.tier_sep", lang).join(names)


# ------------------------------------------------------------------------ messages


def user_templates(db: Database, festival_key: str) -> list[Template]:
    """The user's own templates for this festival (and generic ones), for ``templates.choose``."""
    with db.session() as session:
        rows = session.exec(
            select(GreetingTemplate).where(
                GreetingTemplate.builtin == False,  # noqa: E712
                col(GreetingTemplate.occasion).in_([festival_key, "generic"]),
            )
        ).all()
    return [Template(r.occasion, r.body, r.disc, r.formality, None, False, r.id) for r in rows]


def greeting_message(
    row: GreetRow,
    festival_key: str,
    occurrence: date,
    lang: str | None = None,
    *,
    my_name: str = "",
    signature: str = "",
    custom: Iterable[Template] = (),
) -> str:
    """The festival's template for this person's type and tone, filled in and signed."""
    from kequ.domain.agenda.suggest import formality_for

    values = {
        "honorific": row.honorific or row.name,
        "name": row.name,
        "company": row.company,
        "my_name": my_name,
        "year": str(occurrence.year),
    }
    text = render(festival_key, row.disc, formality_for(row.honorific), lang or language(), values, custom)
    return sign(text, signature, festival_key)


# ------------------------------------------------------------------------ recording


def _touchpoint(session: Session, customer_id: int, festival_key: str, occurrence: date) -> Touchpoint:
    if session.get(Customer, customer_id) is None:
        raise KequError("customer.no_id", ref=customer_id)
    source_key = f"festival:{festival_key}"
    row = session.exec(
        select(Touchpoint).where(
            Touchpoint.customer_id == customer_id,
            Touchpoint.source_key == source_key,
            Touchpoint.occurrence == occurrence,
        )
    ).first()
    if row is None:
        row = Touchpoint(
            customer_id=customer_id,
            kind=TouchKind.FESTIVAL.value,
            source_key=source_key,
            occurrence=occurrence,
            due_date=occurrence,
        )
        session.add(row)
    return row


def mark_greeted(
    db: Database, customer_id: int, festival_key: str, occurrence: date, message: str, today: date | None = None
) -> int:
    """Log the greeting (kind "festival", the message as notes) and mark the occurrence done.

    Marking the same greeting again only updates the logged message: one greeting is one
    entry on the timeline. Returns the Interaction's id.
    """
    _check_occurrence(festival_key, occurrence)
    notes = clean_text(message, MAX_NOTE, "note")
    day = today or clock.today()
    with db.session() as session:
        touch = _touchpoint(session, customer_id, festival_key, occurrence)
        if touch.status == TouchStatus.DONE.value and touch.id is not None:
            logged = session.exec(select(Interaction).where(Interaction.touchpoint_id == touch.id)).first()
            if logged is not None:
                logged.notes = notes
                session.add(logged)
                assert logged.id is not None
                return logged.id
        touch.status = TouchStatus.DONE.value
        touch.handled_at = clock.now()
        session.add(touch)
        session.flush()
        interaction = Interaction(
            customer_id=customer_id,
            kind=TouchKind.FESTIVAL.value,
            happened_at=moment_on(day),
            notes=notes,
            touchpoint_id=touch.id,
        )
        session.add(interaction)
        session.flush()
        assert interaction.id is not None
        return interaction.id


def skip_greeting(db: Database, customer_id: int, festival_key: str, occurrence: date) -> bool:
    """Not greeting this one this time; never offered again for this occurrence.

    A greeting already sent stays sent (False is returned): the timeline has it.
    """
    _check_occurrence(festival_key, occurrence)
    with db.session() as session:
        touch = _touchpoint(session, customer_id, festival_key, occurrence)
        if touch.status == TouchStatus.DONE.value:
            return False
        touch.status = TouchStatus.SKIPPED.value
        touch.handled_at = clock.now()
        session.add(touch)
    return True
