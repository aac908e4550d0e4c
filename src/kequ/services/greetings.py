"""Festival greetings: who is owed one, the coming festivals, and recording each greeting.

A greeting is the festival item of the agenda (source key ``festival:<key>``, occurrence =
the festival's day) handled one customer at a time, so whatever is marked here leaves
Today too, and whatever was done from Today is not offered here again.

What the Festivals screen and a greeting run read is read in plain SQL on the sqlite3
driver: opening them does not wait for SQLAlchemy and the models to load (about half a
second of CPU); only recording a greeting uses the ORM.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kequ.domain.agenda import sources
from kequ.domain.agenda.rules import LOOKBACK_DAYS, TIER_WEIGHT, Rules
from kequ.domain.calendar.holidays import HolidayInfo, HolidayYear, holiday_calendar, holiday_for, load_user_folder
from kequ.domain.calendar.lunar import FESTIVAL_KEYS, AnnualDate, DateInputError, festivals, festivals_between
from kequ.domain.gender import RESTRICTED_FESTIVALS, festival_suits
from kequ.domain.life_events import in_mourning, losses
from kequ.domain.templates import Template, occasion_label, render, sign
from kequ.domain.validation import MAX_NOTE, clean_text
from kequ.domain.values import Named
from kequ.domain.vocab import DateKind, Tier, TouchKind, TouchStatus
from kequ.errors import KequError
from kequ.i18n import language, t
from kequ.storage import clock
from kequ.storage.database import Database, holiday_dir
from kequ.storage.fast_reads.agenda import read_rules

if TYPE_CHECKING:
    import sqlite3

    from sqlmodel import Session

    from kequ.storage.models import Touchpoint

UPCOMING_DAYS = 90
_HANDLED = (TouchStatus.DONE.value, TouchStatus.SKIPPED.value)

# Where a customer stands for one festival occurrence, as the greeting run and
# ``--greet-list --json`` say it.
TO_GREET, SENT, SKIPPED = "to_greet", "sent", "skipped"
NOT_THIS_YEAR = "not_this_year"
"""The skipped touch's ``reason`` when the user said "not this year": never offered again."""


@dataclass(frozen=True, slots=True)
class GreetRow(Named):
    """One customer to greet for one festival occurrence."""

    customer_id: int
    name: str
    honorific: str
    company: str
    tier: str
    disc: str | None
    status: str = TO_GREET  # TO_GREET, SENT or SKIPPED
    not_this_year: bool = False  # skipped, and not to be offered again for this occurrence
    gender: str | None = None  # as stored; kequ.domain.gender guesses from the 称呼 when None
    relation_type: str | None = None

    @property
    def pending(self) -> bool:
        """Offered in a run: not sent yet, and not put off until next year.

        A plain skip ("not now") comes back in the next run; it is never counted as sent.
        """
        return self.status != SENT and not self.not_this_year


@dataclass(frozen=True, slots=True)
class FestivalRow:
    """A coming festival and how far its greetings have got."""

    key: str
    name: str
    date: date
    days_left: int  # negative for a festival a few days past, still worth a late greeting
    total: int  # customers to greet
    done: int  # of them, greeted (sent)
    holiday: HolidayInfo
    in_list: bool  # among the festivals the user greets (Rules.festival_keys)
    mourning: int = 0  # customers left out: their family is in its first year of mourning
    skipped: int = 0  # of them, skipped: not sent, and counted apart

    @property
    def left(self) -> int:
        """Not sent yet: the skipped ones too, since a later run offers them again."""
        return self.total - self.done


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


def _greeted_where(rules: Rules, table: str = "") -> tuple[str, list[str]]:
    """The customers greeted at festivals under the rules: a WHERE clause on the customer
    table (``table``: its alias and a dot, in a join) and its parameters."""
    tiers = sorted(rules.festival_tiers)
    return f"{table}tier IN ({', '.join('?' for _ in tiers)}) AND {table}churned = 0", tiers


def _eligible(conn: sqlite3.Connection, rules: Rules) -> list[GreetRow]:
    """Everyone greeted under the rules, in no particular order (``_in_book_order`` sorts)."""
    where, tiers = _greeted_where(rules)
    rows = conn.execute(
        f"SELECT id, name, honorific, company, tier, disc, gender, relation_type FROM customer WHERE {where}",
        tiers,
    ).fetchall()
    return [
        GreetRow(cid, name, hon, company, tier, disc, gender=gender, relation_type=rel)
        for cid, name, hon, company, tier, disc, gender, rel in rows
    ]


def _in_book_order(db: Database, people: list[GreetRow]) -> list[GreetRow]:
    """Key customers first, then in address-book order (tier weight, then pinyin), so both
    lists read alike: the order stored for the customer list, not worked out again."""
    from kequ.services.customer_list import find_ids

    by_id = {p.customer_id: p for p in people}
    return [found for cid in find_ids(db) if (found := by_id.get(cid)) is not None]


def _fits(row: GreetRow, festival_key: str) -> bool:
    """This festival suits this person: 妇女节 for women, 七夕 only among family and friends."""
    return _suits(festival_key, row.gender, row.honorific, row.relation_type)


@lru_cache(maxsize=8192)
def _suits(festival_key: str, gender: str | None, honorific: str, relation_type: str | None) -> bool:
    # The same 称呼 comes back thousands of times in a big book (a guess from it is pure):
    # the Festivals counts ask it of every greeted customer for each festival not for all.
    return festival_suits(festival_key, gender, honorific, relation_type)


Kind = tuple[str | None, str, str | None]
"""A customer's gender, 称呼 and relation: all that says whether a festival suits them."""


def _kinds(conn: sqlite3.Connection, rules: Rules) -> list[tuple[str | None, str, str | None, int]]:
    """How many greeted customers there are of each kind, counted in SQL (about 2,000 kinds
    at 100,000 customers) instead of reading every one of them."""
    where, tiers = _greeted_where(rules)
    return conn.execute(
        f"SELECT gender, honorific, relation_type, COUNT(*) FROM customer WHERE {where}"
        " GROUP BY gender, honorific, relation_type",
        tiers,
    ).fetchall()


def _suiting(kinds: list[tuple[str | None, str, str | None, int]], festival_key: str) -> int:
    """How many of the greeted the festival suits (everyone but for 妇女节, 七夕)."""
    return sum(count for gender, hon, rel, count in kinds if _kind_suits(festival_key, (gender, hon, rel)))


def _kind_suits(festival_key: str, kind: Kind) -> bool:
    return festival_key not in RESTRICTED_FESTIVALS or _suits(festival_key, *kind)


def _greeted_bereaved(conn: sqlite3.Connection, rules: Rules) -> tuple[dict[int, list[date]], dict[int, Kind]]:
    """The greeted customers whose family had a loss: the days of it, and their kinds."""
    where, tiers = _greeted_where(rules)
    kind_of: dict[int, Kind] = {
        cid: (gender, honorific, rel)
        for cid, gender, honorific, rel in conn.execute(
            f"SELECT id, gender, honorific, relation_type FROM customer WHERE {where}"
            " AND id IN (SELECT customer_id FROM important_date WHERE kind = ?)",
            (*tiers, DateKind.BEREAVEMENT.value),
        ).fetchall()
    }
    return {cid: days for cid, days in _bereaved(conn).items() if cid in kind_of}, kind_of


def _mourning(bereaved: dict[int, list[date]], kind_of: dict[int, Kind], festival_key: str, day: date) -> int:
    """How many of those the festival suits are left out of it, their family in mourning."""
    return sum(
        1 for cid, days in bereaved.items() if _kind_suits(festival_key, kind_of[cid]) and in_mourning(days, day)
    )


def _bereaved(conn: sqlite3.Connection) -> dict[int, list[date]]:
    """{customer id: days of a loss in the family}: their festival greetings wait (守孝)."""
    bereavement = DateKind.BEREAVEMENT.value
    rows = conn.execute(
        "SELECT customer_id, month, day, lunar, leap, year FROM important_date WHERE kind = ?", (bereavement,)
    ).fetchall()
    return losses(
        (cid, bereavement, AnnualDate(month, day, bool(lunar), bool(leap), year))
        for cid, month, day, lunar, leap, year in rows
    )


def _statuses(conn: sqlite3.Connection, festival_key: str, occurrence: date) -> dict[int, tuple[str, bool]]:
    """{customer id: (status, not this year)} for what was done about this occurrence."""
    rows = conn.execute(
        "SELECT customer_id, status, reason FROM touchpoint WHERE source_key = ? AND occurrence = ?",
        (sources.key(sources.FESTIVAL, festival_key), occurrence.isoformat()),
    )
    out: dict[int, tuple[str, bool]] = {}
    for customer_id, status, reason in rows.fetchall():
        if status == TouchStatus.DONE.value:
            out[customer_id] = (SENT, False)
        elif status == TouchStatus.SKIPPED.value:
            out[customer_id] = (SKIPPED, reason == NOT_THIS_YEAR)
    return out


def greet_rows(db: Database, festival_key: str, occurrence: date) -> list[GreetRow]:
    """Who is greeted for this occurrence, in order, each with what was done so far.

    A customer whose family is in its first year of mourning is left out, as on Today, and
    so is one the festival does not suit (``kequ.domain.gender.festival_fits``).
    """
    _check_occurrence(festival_key, occurrence)
    with db.reader() as conn:
        rules = read_rules(conn)
        people = _eligible(conn, rules)
        statuses = _statuses(conn, festival_key, occurrence)
        bereaved = _bereaved(conn)
    return [
        replace(p, status=found[0], not_this_year=found[1]) if (found := statuses.get(p.customer_id)) else p
        for p in _in_book_order(db, people)
        if not in_mourning(bereaved.get(p.customer_id, ()), occurrence) and _fits(p, festival_key)
    ]


# People of a greeting run read at a time, in address-book order (about a quarter of a big
# book is greeted: a page holds a hundred or so of them).
RUN_PAGE = 400


def _greet_rows_of(conn: sqlite3.Connection, rules: Rules, ids: list[int]) -> dict[int, GreetRow]:
    """The greeted among ``ids``, as rows to greet (what was done is not read here)."""
    where, tiers = _greeted_where(rules)
    rows = conn.execute(
        "SELECT id, name, honorific, company, tier, disc, gender, relation_type FROM customer"
        f" WHERE {where} AND id IN (SELECT value FROM json_each(?))",
        (*tiers, json.dumps(ids)),
    ).fetchall()
    return {
        cid: GreetRow(cid, name, hon, company, tier, disc, gender=gender, relation_type=rel)
        for cid, name, hon, company, tier, disc, gender, rel in rows
    }


class RunPeople(Sequence[GreetRow]):
    """Who a greeting run offers, in the order of ``greet_rows``' pending ones: those never
    looked at first, in address-book order, read a page at a time as the run reaches them;
    then those skipped before (a plain skip), read at once (they are few).

    Its length is known from the start (counted in SQL): a run of 25,000 people opens after
    reading its first page, not the whole book's order."""

    def __init__(
        self,
        db: Database,
        festival_key: str,
        occurrence: date,
        rules: Rules,
        to_greet: int,
        done: set[int],
        bereaved: dict[int, list[date]],
        again: list[GreetRow],
    ) -> None:
        self._db, self._key, self._day, self._rules = db, festival_key, occurrence, rules
        self._to_greet = to_greet
        self._done = done  # handled before (sent, skipped, put off): not among the first ones
        self._bereaved = bereaved
        self._again = again
        self._read: list[GreetRow] = []
        self._offset = 0  # how far down the address book the pages have been read

    def __len__(self) -> int:
        return self._to_greet + len(self._again)

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(index)
        if index >= self._to_greet:
            return self._again[index - self._to_greet]
        while index >= len(self._read):
            self._next_page()
        return self._read[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def read_first(self) -> None:
        """Read the first page now, not when the run is first shown."""
        if self._to_greet and not self._read:
            self._next_page()

    def _next_page(self) -> None:
        """The next page of the address book: its greeted people not handled yet."""
        from kequ.services.customer_list import find_ids

        ids = find_ids(self._db, limit=RUN_PAGE, offset=self._offset)
        if not ids:  # the book changed under the run: fewer than counted
            self._to_greet = len(self._read)
            return
        self._offset += len(ids)
        with self._db.reader() as conn:
            found = _greet_rows_of(conn, self._rules, [cid for cid in ids if cid not in self._done])
        self._read += [
            row
            for cid in ids
            if (row := found.get(cid)) is not None
            and not in_mourning(self._bereaved.get(cid, ()), self._day)
            and _fits(row, self._key)
        ]


@dataclass(frozen=True)
class GreetRun:
    """What a greeting run needs: how many are greeted, who was handled before, and who to offer."""

    total: int
    handled: list[GreetRow]  # greeted before for this occurrence: sent, skipped or put off
    pending: RunPeople


def greet_run(db: Database, festival_key: str, occurrence: date) -> GreetRun:
    """``greet_rows`` for a greeting run: its counts, the handled rows, and its pending people
    (``RunPeople``, in the same order as the pending ones of ``greet_rows``) with only the
    first page of them read."""
    from kequ.services.customer_list import find_ids

    _check_occurrence(festival_key, occurrence)
    with db.reader() as conn:
        rules = read_rules(conn)
        kinds = _kinds(conn, rules)
        bereaved, bereaved_kind = _greeted_bereaved(conn, rules)
        statuses = _statuses(conn, festival_key, occurrence)
    everyone = _suiting(kinds, festival_key) - _mourning(bereaved, bereaved_kind, festival_key, occurrence)
    handled: list[GreetRow] = []
    if statuses:
        order = find_ids(db, among=statuses)
        with db.reader() as conn:
            found = _greet_rows_of(conn, rules, order)
        handled = [
            replace(row, status=statuses[cid][0], not_this_year=statuses[cid][1])
            for cid in order
            if (row := found.get(cid)) is not None
            and not in_mourning(bereaved.get(cid, ()), occurrence)
            and _fits(row, festival_key)
        ]
    again = [row for row in handled if row.pending]
    people = RunPeople(db, festival_key, occurrence, rules, everyone - len(handled), set(statuses), bereaved, again)
    people.read_first()  # here, in the caller's thread (a worker's)
    return GreetRun(everyone, handled, people)


def greet_list(db: Database, festival_key: str, year: int | None, today: date) -> list[GreetRow]:
    """Who is to be greeted for the festival in ``year`` (None: its next one): greeted tiers, not churned.

    Key customers first, then by name; each row's ``status`` says sent, skipped or to greet.
    """
    return greet_rows(db, festival_key, festival_occurrence(festival_key, year, today))


def greet_list_json(
    db: Database, festival_key: str, year: int | None, today: date, lang: str | None = None, limit: int | None = None
) -> list[dict[str, object]]:
    """``kequ festivals --greet-list KEY [--year Y] --json``: plain values only; no year means the next one.

    ``status`` is "to_greet", "sent" or "skipped" (``not_this_year`` says whether a skip is
    for good this year); ``message`` is the greeting for that person, ready to paste: their
    type and tone, their 称呼, the user's own template if one fits, signed with my name
    when the settings have one. ``limit``: only the first that many (their messages only are written).
    """
    occurrence = festival_occurrence(festival_key, year, today)
    rows = greet_rows(db, festival_key, occurrence)
    if limit is not None:
        rows = rows[:limit]
    custom = user_templates(db, festival_key)
    from kequ.services.settings import me

    name, signature = me(db)
    return [
        {
            "id": row.customer_id,
            "name": row.name,
            "honorific": row.honorific,
            "company": row.company,
            "tier": row.tier,
            "disc": row.disc,
            "status": row.status,
            "not_this_year": row.not_this_year,
            "message": greeting_message(
                row, festival_key, occurrence, lang, my_name=name, signature=signature, custom=custom
            ),
        }
        for row in rows
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
    with db.reader() as conn:
        rules = read_rules(conn)
        kinds = _kinds(conn, rules)
        bereaved, bereaved_kind = _greeted_bereaved(conn, rules)
        greeted_where, tiers = _greeted_where(rules, "c.")
        handled = [
            (source_key.split(":", 1)[1], date.fromisoformat(occurrence[:10]), status, customer_id, (gender, hon, rel))
            for customer_id, source_key, occurrence, status, gender, hon, rel in conn.execute(
                "SELECT t.customer_id, t.source_key, t.occurrence, t.status, c.gender, c.honorific, c.relation_type"
                f" FROM touchpoint t JOIN customer c ON c.id = t.customer_id WHERE {greeted_where}"
                " AND t.source_key LIKE ? AND t.status IN (?, ?) AND t.occurrence >= ? AND t.occurrence <= ?",
                (*tiers, f"{sources.FESTIVAL}:%", *_HANDLED, coming[0].date.isoformat(), coming[-1].date.isoformat()),
            ).fetchall()
        ]

    # How many each festival greets: everyone greeted, or those a restricted festival suits.
    everyone = sum(count for *_kind, count in kinds)
    greeted_count = {key: _suiting(kinds, key) for key in RESTRICTED_FESTIVALS}
    counts: dict[tuple[str, str, date], int] = {}
    for key, occurrence, status, customer_id, kind in handled:
        if not _kind_suits(key, kind):
            continue
        if not in_mourning(bereaved.get(customer_id, ()), occurrence):
            slot = (status, key, occurrence)
            counts[slot] = counts.get(slot, 0) + 1
    years: dict[int, HolidayYear | None] = {}
    out: list[FestivalRow] = []
    for festival in coming:
        year = festival.date.year
        if year not in years:
            years[year] = holiday_calendar(year, folder)
        mourning = _mourning(bereaved, bereaved_kind, festival.key, festival.date)
        slot = (festival.key, festival.date)
        out.append(
            FestivalRow(
                key=festival.key,
                name=occasion_label(festival.key),
                date=festival.date,
                days_left=(festival.date - today).days,
                total=greeted_count.get(festival.key, everyone) - mourning,
                done=counts.get((TouchStatus.DONE.value, *slot), 0),
                holiday=holiday_for(festival.key, festival.date, years[year]),
                in_list=festival.key in rules.festival_keys,
                mourning=mourning,
                skipped=counts.get((TouchStatus.SKIPPED.value, *slot), 0),
            )
        )
    return out


def greeted_tiers(db: Database) -> list[str]:
    """The tiers greeted at festivals, heaviest first."""
    with db.reader() as conn:
        tiers = read_rules(conn).festival_tiers
    return sorted(tiers, key=lambda tier: -TIER_WEIGHT.get(tier, 0))


def tier_names(tiers: Iterable[str], lang: str | None = None) -> str:
    known = {tier.value for tier in Tier}
    names = [t(f"vocab.tier.{tier}", lang) if tier in known else tier for tier in tiers]
    return t("punct.list_sep", lang).join(names)


# ------------------------------------------------------------------------ messages


def user_templates(db: Database, festival_key: str) -> list[Template]:
    """The user's own templates for this festival (and generic ones), for ``templates.choose``."""
    with db.reader() as conn:
        rows = conn.execute(
            "SELECT occasion, body, disc, formality, id FROM greeting_template"
            " WHERE builtin = 0 AND occasion IN (?, 'generic')",
            (festival_key,),
        ).fetchall()
    return [
        Template(occasion, body, disc, formality, None, False, tid) for occasion, body, disc, formality, tid in rows
    ]


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
    """The festival's template for this person's type and tone, filled in and signed.

    ``lang`` None means the language of the moment.
    """
    from kequ.domain.agenda.suggest import formality_for

    values = {
        "honorific": row.who,
        "name": row.name,
        "company": row.company,
        "my_name": my_name,
        "year": str(occurrence.year),
    }
    text = render(festival_key, row.disc, formality_for(row.honorific), lang or language(), values, custom)
    return sign(text, signature, festival_key)


# ------------------------------------------------------------------------ recording


def _touchpoint(session: Session, customer_id: int, festival_key: str, occurrence: date) -> Touchpoint:
    from sqlmodel import select

    from kequ.storage.models import Customer, Touchpoint

    if session.get(Customer, customer_id) is None:
        raise KequError("customer.no_id", ref=customer_id)
    source_key = sources.key(sources.FESTIVAL, festival_key)
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
    from sqlmodel import select

    from kequ.services.agenda import moment_on
    from kequ.storage.models import Interaction
    from kequ.storage.rows import add_and_number

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
        touch.reason = ""  # sent after all, though skipped before
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
        return add_and_number(session, interaction)


def skip_greeting(
    db: Database, customer_id: int, festival_key: str, occurrence: date, *, not_this_year: bool = False
) -> bool:
    """Not greeting this one now: skipped, counted apart from the sent ones.

    A plain skip is offered again in the next run; ``not_this_year`` puts it off for this
    occurrence for good. A greeting already sent stays sent (False is returned): the
    timeline has it.
    """
    _check_occurrence(festival_key, occurrence)
    with db.session() as session:
        touch = _touchpoint(session, customer_id, festival_key, occurrence)
        if touch.status == TouchStatus.DONE.value:
            return False
        touch.status = TouchStatus.SKIPPED.value
        touch.reason = NOT_THIS_YEAR if not_this_year else ""
        touch.handled_at = clock.now()
        session.add(touch)
    return True
