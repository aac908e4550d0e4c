"""Two customer records that are one person, made one: nothing of either is lost.

``merge_customers`` does it inside a session (the import calls it for duplicates it
finds); ``merge`` is the use case of ``kequ merge`` and the app's merge screen: it checks,
takes a backup first, then merges. ``merge_preview`` shows beforehand what differs (the
conflicts to choose) and what moves. Which pairs are worth a look: services/duplicates.py.

Every row that refers to a customer moves over: the tables are found by walking the
models' foreign keys, so a table added later moves too. Rows that say the same thing
twice (the same birthday, the same handled festival, the same rhythm) are made one and
counted as folded; nothing else is deleted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kequ.errors import KequError
from kequ.i18n import language, t
from kequ.storage import clock

if TYPE_CHECKING:
    from kequ.domain.records import CustomerRecord
    from kequ.storage.database import Database

# What customers.refresh_search_keys reads: only a change there needs new keys.
SEARCHED = ("honorific", "company", "phones", "wechat", "email", "city", "tags")

# Ids per IN (...) query, well under SQLite's limit on bound parameters.
ID_CHUNK = 900

_FILL_FIELDS = ("honorific", "company", "title", "wechat", "email", "city", "district", "address", "source")


def absorb_values(target: dict[str, Any], extra: dict[str, Any]) -> None:
    """Fill what the target lacks; phones and tags are united; notes are kept, not lost."""
    for name in (*_FILL_FIELDS, "interests"):
        if not target.get(name) and extra.get(name):
            target[name] = extra[name]
    for name in ("phones", "tags"):
        merged = list(target.get(name) or [])
        merged.extend(v for v in extra.get(name) or [] if v not in merged)
        target[name] = merged
    for name in ("tier", "disc", "gender"):
        if target.get(name) is None and extra.get(name) is not None:
            target[name] = extra[name]
    note = extra.get("notes") or ""
    if note and note not in (target.get("notes") or ""):
        target["notes"] = f"{target['notes']}\n{note}" if target.get("notes") else note


def row_values(row: Any) -> dict[str, Any]:
    names = (*_FILL_FIELDS, "interests", "phones", "tags", "disc", "gender", "notes")
    return {name: getattr(row, name) for name in names}


def apply_values(row: Any, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name == "tier" or getattr(row, name) == value:
            continue
        setattr(row, name, list(value) if isinstance(value, list) else value)


# Fields a customer has one of: where both have a value and the values differ, the user
# chooses (the kept customer's wins unless told otherwise).
CHOSEN_FIELDS = (
    "name",
    "honorific",
    "company",
    "title",
    "company_role",
    "wechat",
    "email",
    "city",
    "district",
    "address",
    "tier",
    "stage",
    "disc",
    "relation_type",
    "ladder",
    "gender",
    "ford_family",
    "ford_occupation",
    "ford_recreation",
    "ford_dreams",
    "interests",
    "source",
)
# Choices shown in the words of the vocabulary.
_VOCAB_FIELDS = frozenset({"tier", "stage", "disc", "relation_type", "ladder", "company_role", "gender"})
# One birthday of each calendar: a second solar birthday is a conflict, a lunar one beside
# a solar one is not (many celebrate both).
BIRTHDAY_FIELDS = {"birthday": False, "lunar_birthday": True}
RHYTHM = "rhythm."
# Filled from the other customer when the kept one has none (besides absorb_values' own).
_ALSO_FILLED = (
    "company_role",
    "relation_type",
    "ladder",
    "ford_family",
    "ford_occupation",
    "ford_recreation",
    "ford_dreams",
)
# How far a handled occurrence got: the furthest wins when both handled the same one.
_STATUS_RANK = {"planned": 0, "snoozed": 1, "skipped": 2, "done": 3}
# The words for the tables a user knows; one added later shows its own name until it has some.
TABLE_WORDS = {
    "interaction": "merge.table.interaction",
    "important_date": "merge.table.important_date",
    "gift": "merge.table.gift",
    "deal": "merge.table.deal",
    "complaint": "merge.table.complaint",
    "trip_visit": "merge.table.trip_visit",
    "touchpoint": "merge.table.touchpoint",
    "cadence": "merge.table.cadence",
    "customer": "merge.table.customer",
}


@dataclass(frozen=True, slots=True)
class Conflict:
    """A field both customers fill differently: ``field`` is a column name, ``birthday``,
    ``lunar_birthday`` or ``rhythm.<kind>``; the values are as stored."""

    field: str
    keep: object
    drop: object


@dataclass(frozen=True, slots=True)
class MergeSide:
    customer: CustomerRecord
    counts: dict[str, int]  # table -> rows that refer to this customer


@dataclass(frozen=True, slots=True)
class MergePreview:
    keep: MergeSide
    drop: MergeSide
    conflicts: tuple[Conflict, ...]
    phones: tuple[str, ...]  # as they will be: both customers' numbers, each once
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MergeReport:
    keep_id: int
    drop_id: int
    backup: str
    moved: dict[str, int]  # rows of the dropped customer now the kept one's, by table
    folded: dict[str, int]  # of those, rows that said what the kept customer's already said
    taken: tuple[str, ...]  # conflicts decided for the dropped customer's value


# ------------------------------------------------------------------ what refers to a customer


def customer_references() -> list[tuple[str, str]]:
    """(table, column) of every foreign key to customer.id in the models, walked from
    their metadata: a table added later is moved (and counted) with the rest."""
    from sqlmodel import SQLModel

    import kequ.storage.models  # noqa: F401  (fills the metadata)

    found = []
    for table in SQLModel.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name == "customer" and key.column.name == "id":
                found.append((table.name, key.parent.name))
    return found


def related_counts(session: Any, customer_id: int) -> dict[str, int]:
    """Rows that refer to the customer, by table (customers they referred included)."""
    from sqlalchemy import text

    counts: Counter[str] = Counter()
    for table, column in customer_references():
        query = text(f"SELECT count(*) FROM {table} WHERE {column} = :cid")  # names from the models
        counts[table] += session.execute(query, {"cid": customer_id}).scalar_one()
    return dict(counts)


def table_word(table: str) -> str:
    key = TABLE_WORDS.get(table)
    return t(key) if key else table


# ------------------------------------------------------------------ conflicts


def field_label(name: str, lang: str | None = None) -> str:
    if name.startswith(RHYTHM):
        return t("merge.field.rhythm", lang, kind=t(f"vocab.kind.{name.removeprefix(RHYTHM)}", lang))
    if name in BIRTHDAY_FIELDS:
        return t("merge.field.lunar_birthday" if BIRTHDAY_FIELDS[name] else "merge.field.birthday", lang)
    return t(f"field.{name}", lang)


def shown_value(name: str, value: object) -> str:
    """A conflicting value as the user reads it: 关键客户, 农历八月十五（1968年）, 每 14 天."""
    from kequ.domain.calendar.lunar import AnnualDate, describe

    if value is None or value == "":
        return "—"
    if isinstance(value, AnnualDate):
        day = describe(value, language())
        return t("merge.with_year", day=day, year=value.year) if value.year else day
    if name.startswith(RHYTHM):
        return t("merge.rhythm_days", days=value) if value else t("merge.rhythm_off")
    if name in _VOCAB_FIELDS:
        return t(f"vocab.{name}.{value}")
    return str(value)


def choosable_fields() -> list[str]:
    from kequ.domain.vocab import TouchKind

    return [*CHOSEN_FIELDS, *BIRTHDAY_FIELDS, *(f"{RHYTHM}{kind.value}" for kind in TouchKind)]


def read_take(names: Iterable[str]) -> frozenset[str]:
    """``--take company,称呼`` as field names: each given by its name or its label in
    either language; several in one argument are split as a typed list is (commas, 、)."""
    from kequ.domain.validation import split_list

    known = choosable_fields()
    by_word: dict[str, str] = {}
    for name in known:
        by_word[name.lower()] = name
        for lang in ("zh", "en"):
            by_word.setdefault(field_label(name, lang).lower(), name)
    chosen = set()
    for given in names:
        for word in split_list(given):
            found = by_word.get(word.lower())
            if found is None:
                raise KequError("merge.unknown_field", field=word, options=", ".join(known))
            chosen.add(found)
    return frozenset(chosen)


def find_conflicts(session: Any, keep_id: int, drop_id: int) -> list[Conflict]:
    """What the two customers say differently, in the order of CHOSEN_FIELDS, then the
    birthdays, then the rhythms."""
    from kequ.storage.models import Customer

    keep, drop = session.get(Customer, keep_id), session.get(Customer, drop_id)
    found = []
    for name in CHOSEN_FIELDS:
        mine, theirs = getattr(keep, name), getattr(drop, name)
        if mine not in (None, "") and theirs not in (None, "") and mine != theirs:
            found.append(Conflict(name, mine, theirs))
    for name, mine_date, their_date in _birthday_clashes(session, keep_id, drop_id):
        found.append(Conflict(name, mine_date.annual, their_date.annual))
    for kind, (_, mine_days), (_, their_days) in _rhythm_pairs(session, keep_id, drop_id):
        if mine_days != their_days:
            found.append(Conflict(f"{RHYTHM}{kind}", mine_days, their_days))
    return found


def _birthday_clashes(session: Any, keep_id: int, drop_id: int) -> list[tuple[str, Any, Any]]:
    """(field, the kept customer's first birthday, the other's) where the two differ."""
    from sqlmodel import select

    from kequ.storage.models import ImportantDate

    def first_birthdays(customer_id: int) -> dict[bool, Any]:
        query = select(ImportantDate).where(ImportantDate.customer_id == customer_id, ImportantDate.kind == "birthday")
        firsts: dict[bool, Any] = {}
        for row in session.exec(query.order_by(ImportantDate.id)):
            firsts.setdefault(row.lunar, row)
        return firsts

    mine, theirs = first_birthdays(keep_id), first_birthdays(drop_id)
    clashes = []
    for name, lunar in BIRTHDAY_FIELDS.items():
        a, b = mine.get(lunar), theirs.get(lunar)
        if a is not None and b is not None and (a.month, a.day, a.leap) != (b.month, b.day, b.leap):
            clashes.append((name, a, b))
    return clashes


def _rhythm_pairs(session: Any, keep_id: int, drop_id: int) -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    """(kind, (row id, days) of the kept customer, the same of the other) for each kind of
    rhythm both have their own of."""
    from sqlalchemy import text

    query = text("SELECT kind, id, interval_days FROM cadence WHERE customer_id = :cid ORDER BY id")
    mine = {kind: (rid, days) for kind, rid, days in session.execute(query, {"cid": keep_id})}
    theirs = {kind: (rid, days) for kind, rid, days in session.execute(query, {"cid": drop_id})}
    return [(kind, mine[kind], theirs[kind]) for kind in mine if kind in theirs]


# ------------------------------------------------------------------ merging


def merge_customers(session: Any, keep_id: int, drop_id: int, take: Collection[str] = ()) -> dict[str, int]:
    """Fold customer ``drop_id`` into ``keep_id``: every row that refers to ``drop_id``
    (contacts, dates, deals, gifts, complaints, trip visits, planned touches, rhythms, the
    customers they referred) moves over, then ``drop_id`` is deleted. Returns the rows
    that were made one with the kept customer's, by table.

    Runs inside the caller's transaction. Where both say the same (the same date, the
    same handled occurrence, the same rhythm) one row stays and the other's contacts are
    re-pointed to it. Where both say something different, the kept customer's value
    wins unless its field is in ``take`` (see ``find_conflicts``); empty fields are filled,
    phones, tags and notes united. Two hand-planned touches on one day are both kept.
    """
    from sqlalchemy import text

    from kequ.services.customers import refresh_search_keys
    from kequ.storage.models import Customer

    keep = session.get(Customer, keep_id)
    drop = session.get(Customer, drop_id)
    if keep is None or drop is None or keep_id == drop_id:
        return {}
    take = frozenset(take)
    folded: Counter[str] = Counter()
    params = {"keep": keep_id, "drop": drop_id}
    _fold_dates(session, keep_id, drop_id, take, folded)
    _fold_touchpoints(session, keep_id, drop_id, folded)
    for kind, (mine, mine_days), (theirs, their_days) in _rhythm_pairs(session, keep_id, drop_id):
        loser = mine if f"{RHYTHM}{kind}" in take and mine_days != their_days else theirs
        session.execute(text("DELETE FROM cadence WHERE id = :id"), {"id": loser})
        folded["cadence"] += 1
    for table, column in customer_references():
        if table != "customer":  # the customers drop referred: below, never keep itself
            session.execute(text(f"UPDATE {table} SET {column} = :keep WHERE {column} = :drop"), params)
    session.execute(text("UPDATE customer SET referrer_id = :keep WHERE referrer_id = :drop AND id != :keep"), params)
    _merge_values(keep, drop, take)
    refresh_search_keys(keep)
    session.flush()
    # The moved rows were changed behind the ORM's back: it must not cascade on them.
    session.expire_all()
    session.delete(session.get(Customer, drop_id))
    session.flush()
    return dict(folded)


def _merge_values(keep: Any, drop: Any, take: frozenset[str]) -> None:
    from kequ.domain.duplicates import phone_key

    merged = row_values(keep)
    absorb_values(merged, row_values(drop))
    # One number written two ways (+86 138…, 138-…) is one number: the kept spelling stays.
    phones: dict[str, str] = {}
    for phone in merged["phones"]:
        phones.setdefault(phone_key(phone) or phone, phone)
    merged["phones"] = list(phones.values())
    apply_values(keep, merged)
    for name in _ALSO_FILLED:
        if not getattr(keep, name) and getattr(drop, name):
            setattr(keep, name, getattr(drop, name))
    for name in CHOSEN_FIELDS:
        if name in take and getattr(drop, name) not in (None, ""):
            setattr(keep, name, getattr(drop, name))
    if keep.referrer_id == drop.id:
        keep.referrer_id = drop.referrer_id if drop.referrer_id != keep.id else None
    elif keep.referrer_id is None and drop.referrer_id != keep.id:
        keep.referrer_id = drop.referrer_id
    keep.created_at = min(keep.created_at, drop.created_at)
    keep.churned = keep.churned and drop.churned
    if not keep.churned:
        keep.churn_reason = ""
    keep.updated_at = clock.now()


def _fold_dates(session: Any, keep_id: int, drop_id: int, take: frozenset[str], folded: Counter[str]) -> None:
    """One row for one date: the same date twice is made one, and of two different
    birthdays in one calendar the chosen one stays. Touches handled for a removed date
    are re-keyed to the date that stands for it."""
    from sqlmodel import select

    from kequ.domain.agenda import sources
    from kequ.domain.vocab import ONE_OFF_DATE_KINDS
    from kequ.storage.models import ImportantDate, Touchpoint

    into: dict[int, Any] = {}  # removed date id -> the row that stands for it
    for name, mine, theirs in _birthday_clashes(session, keep_id, drop_id):
        if name in take:
            into[mine.id] = theirs
        else:
            into[theirs.id] = mine

    def rows(customer_id: int) -> list[Any]:
        query = select(ImportantDate).where(ImportantDate.customer_id == customer_id).order_by(ImportantDate.id)
        return [row for row in session.exec(query) if row.id not in into]

    mine_rows = rows(keep_id)
    for theirs in rows(drop_id):
        for mine in mine_rows:
            same_day = (mine.kind, mine.month, mine.day, mine.lunar, mine.leap) == (
                theirs.kind,
                theirs.month,
                theirs.day,
                theirs.lunar,
                theirs.leap,
            )
            # The same life event on the same day of another year is another event.
            if same_day and (mine.year == theirs.year or mine.kind not in ONE_OFF_DATE_KINDS):
                mine.year = mine.year or theirs.year  # what one of them knew is kept
                mine.label = mine.label or theirs.label
                mine.lead_days = max(mine.lead_days, theirs.lead_days)
                into[theirs.id] = mine
                break
    for old, stays in into.items():
        before, after = sources.key(sources.DATE, old), sources.key(sources.DATE, stays.id)
        for touch in session.exec(select(Touchpoint).where(Touchpoint.source_key == before)):
            touch.source_key = after
        session.delete(session.get(ImportantDate, old))
        folded["important_date"] += 1
    session.flush()


def _fold_touchpoints(session: Any, keep_id: int, drop_id: int, folded: Counter[str]) -> None:
    """Touches are kept one per (customer, source, occurrence). Where both customers
    handled the same occurrence, one row stays, with the further status (done over
    snoozed…), and the other's contacts point to it; two different hand-planned touches
    on one day are both kept, the second on the next free day (as planning does)."""
    from sqlalchemy import text
    from sqlmodel import select

    from kequ.domain.agenda import sources
    from kequ.domain.trips import free_day
    from kequ.storage.models import Touchpoint

    mine = {
        (row.source_key, row.occurrence): row
        for row in session.exec(select(Touchpoint).where(Touchpoint.customer_id == keep_id))
    }
    theirs = list(session.exec(select(Touchpoint).where(Touchpoint.customer_id == drop_id)))
    manual_days = {day for key, day in mine if key == sources.MANUAL}
    manual_days.update(row.occurrence for row in theirs if row.source_key == sources.MANUAL)
    for row in theirs:
        kept = mine.get((row.source_key, row.occurrence))
        if kept is None:
            continue
        same_plan = (row.kind, row.due_date, row.status, row.reason, row.note) == (
            kept.kind,
            kept.due_date,
            kept.status,
            kept.reason,
            kept.note,
        )
        if row.source_key == sources.MANUAL and not same_plan:
            landed = free_day(row.occurrence, manual_days)
            manual_days.add(landed)
            if row.due_date == row.occurrence:
                row.due_date = landed
            row.occurrence = landed
            continue
        if _STATUS_RANK.get(row.status, 0) > _STATUS_RANK.get(kept.status, 0):
            kept.status, kept.due_date, kept.handled_at = row.status, row.due_date, row.handled_at
        kept.note = kept.note or row.note
        kept.reason = kept.reason or row.reason
        session.flush()
        session.execute(
            text("UPDATE interaction SET touchpoint_id = :kept WHERE touchpoint_id = :gone"),
            {"kept": kept.id, "gone": row.id},
        )
        session.delete(row)
        folded["touchpoint"] += 1
    session.flush()


# ------------------------------------------------------------------ the use cases


def _customer_record(session: Any, customer_id: int) -> CustomerRecord:
    from kequ.services.customers import to_record
    from kequ.storage.models import Customer

    row = session.get(Customer, customer_id)
    if row is None:
        raise KequError("customer.no_id", ref=customer_id)
    return to_record(row)


def merge_preview(db: Database, keep_id: int, drop_id: int) -> MergePreview:
    """What merging ``drop_id`` into ``keep_id`` would do: the conflicts to choose, what
    each has, the phones and tags after."""
    from kequ.domain.duplicates import phone_key

    if keep_id == drop_id:
        raise KequError("merge.same")
    with db.session() as session:
        keep, drop = _customer_record(session, keep_id), _customer_record(session, drop_id)
        conflicts = tuple(find_conflicts(session, keep_id, drop_id))
        sides = MergeSide(keep, related_counts(session, keep_id)), MergeSide(drop, related_counts(session, drop_id))
    phones: dict[str, str] = {}
    for phone in (*keep.phones, *drop.phones):
        phones.setdefault(phone_key(phone) or phone, phone)
    tags = tuple(dict.fromkeys((*keep.tags, *drop.tags)))
    return MergePreview(sides[0], sides[1], conflicts, tuple(phones.values()), tags)


def merge(
    db: Database,
    keep_id: int,
    drop_id: int,
    take: Collection[str] = (),
    versions: tuple[datetime | None, datetime | None] | None = None,
) -> MergeReport:
    """Merge ``drop_id`` into ``keep_id`` after a backup of the book, taking the fields in
    ``take`` from ``drop_id``. ``versions``: the two customers as the user saw them; if
    either has changed since, nothing is done (another window, another command)."""
    from kequ.storage.backups import make_backup
    from kequ.storage.models import Customer

    if keep_id == drop_id:
        raise KequError("merge.same")
    with db.session() as session:  # refused before a backup is taken for nothing
        for customer_id in (keep_id, drop_id):
            _customer_record(session, customer_id)
    backup = make_backup(db.path, "before-merge")
    with db.session() as session:
        for customer_id, seen in zip((keep_id, drop_id), versions or (None, None), strict=True):
            row = _customer_record(session, customer_id)
            if seen is not None and row.version != seen:
                raise KequError("customer.changed_elsewhere", name=row.who)
        taken = tuple(c.field for c in find_conflicts(session, keep_id, drop_id) if c.field in take)
        moved = related_counts(session, drop_id)
        folded = merge_customers(session, keep_id, drop_id, take)
        assert session.get(Customer, drop_id) is None
    return MergeReport(keep_id, drop_id, str(backup), {k: v for k, v in moved.items() if v}, folded, taken)
