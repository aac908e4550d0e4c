"""Reading what the weekly review needs, in a few set-based queries on the sqlite3 driver.

Like the agenda's reader (kequ.storage.fast_reads.agenda) this skips the ORM: the review
of a book of 100,000 customers takes about three quarters of a second of processor time
(bench/bench_review.py) because SQLite sums the history up on the (kind, time, customer)
index (contacts counted per local day and kind, a rhythm before the period for what fell
due), and only the key customers past 1.5x their rhythm have their own history read row
by row, for their health.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from kequ.domain.agenda import sources
from kequ.domain.agenda.rules import Rules
from kequ.domain.calendar.lunar import AnnualDate, festivals_between, occurrences, within_calendar
from kequ.domain.gender import RESTRICTED_FESTIVALS, festival_fits, known_gender
from kequ.domain.life_events import touch_kind
from kequ.domain.review.figures import ComplaintFact, Count, DealFact, GiftFact, Greeted, StepDone
from kequ.domain.review.health import YEAR_DAYS, ComplaintSpan, History, Occasion
from kequ.domain.vocab import DateKind, TouchKind


def utc_text(day: date) -> str:
    """The stored (UTC) text of the local midnight that starts ``day``: for range filters."""
    moment = datetime.combine(day, time()).astimezone().astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


# The review looks customers up contact by contact, on two connections at once (the Review
# screen reads its figures and its cooling customers side by side). Neither maps the file nor
# keeps more than SQLite's usual page cache: every page a mapped read touches counts in the
# process's memory, twice with two mappings, which put the app 60 MB higher at 10,000
# customers (85 MB at 100,000) for no processor time saved (bench_screens' Review, and the two
# readers alone at 100,000: 0.9 to 1.1 s of CPU either way).
MMAP_BYTES = 0
CACHE_KIB = 2000


def prepare(conn: sqlite3.Connection) -> None:
    """Ready a reader connection for the review's many small lookups: no mapping of the file,
    SQLite's usual 2,000 KiB of page cache."""
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")


def local_days(first: date, last: date) -> list[tuple[str, str, str]]:
    """(day, first stored moment, first stored moment of the next day) for each local day
    from ``first`` to ``last``: contacts are counted per local day by ranges on the time
    index, exact in any timezone, rather than by converting every stored time."""
    count = (last - first).days + 1
    bounds = [utc_text(first + timedelta(days=i)) for i in range(count + 1)]
    return [((first + timedelta(days=i)).isoformat(), bounds[i], bounds[i + 1]) for i in range(count)]


# Days per statement: three parameters each, well under SQLite's oldest limit of 999.
_DAYS_PER_QUERY = 300


def _per_day(
    conn: sqlite3.Connection, first: date, last: date, select: str, params: Sequence[object] = ()
) -> list[tuple[Any, ...]]:
    """Run ``select`` (which joins ``days d`` to ``interaction i`` on ``i.happened_at >= d.lo
    AND i.happened_at < d.hi``) over the local days from ``first`` to ``last``."""
    days = local_days(first, last)
    rows: list[tuple[Any, ...]] = []
    for chunk in range(0, len(days), _DAYS_PER_QUERY):
        part = days[chunk : chunk + _DAYS_PER_QUERY]
        values = ", ".join("(?, ?, ?)" for _ in part)
        sql = f"WITH days(day, lo, hi) AS (VALUES {values}) {select}"
        rows += conn.execute(sql, (*(v for day in part for v in day), *params)).fetchall()
    return rows


# Every kind of contact: a range on (kind, time) reads the kind-and-time index, so
# "contacts in these days" is asked kind by kind.
_KINDS = tuple(kind.value for kind in TouchKind)
_ANY_KIND = f"i.kind IN ({', '.join(repr(k) for k in _KINDS)})"


def done_counts(conn: sqlite3.Connection, first: date, last: date) -> list[Count]:
    """Contacts per local day and kind from ``first`` to ``last``, counted on the
    kind-and-time index alone (no sorting, no stored time converted)."""
    kinds = " UNION ALL ".join(f"SELECT '{kind}'" for kind in _KINDS)
    select = f"""
        , kinds(kind) AS ({kinds})
        SELECT d.day, k.kind, (SELECT count(*) FROM interaction i
            WHERE i.kind = k.kind AND i.happened_at >= d.lo AND i.happened_at < d.hi) AS n
        FROM days d CROSS JOIN kinds k WHERE n > 0
    """
    return [Count(_day(day), kind, n) for day, kind, n in _per_day(conn, first, last, select)]


def lost_customers(conn: sqlite3.Connection) -> list[int]:
    """The ids of the lost customers: read once (a pass over the customer table) for the
    reads that leave them out."""
    return [cid for (cid,) in conn.execute("SELECT id FROM customer WHERE churned")]


def rhythm_planned(
    conn: sqlite3.Connection, rules: Rules, first: date, last: date, lost: Collection[int] | None = None
) -> list[Count]:
    """Calls and visits the rhythms put due from ``first`` to ``last``: each contact of a
    rhythm's kind puts the next one due a rhythm later (the customer's own, else their
    tier's); lost customers (``lost``, read here if not given) owe nothing.

    Each tier rhythm counts only the contacts a rhythm before the period, day by day on the
    kind-and-time index: the customer of each contact is looked up in the ids of the
    rhythm's tiers (read off the tier index) rather than in the customer table. Customers
    with their own rhythm for a kind are few: they are left out of their tier's count, and
    their contacts are read one by one and put due at their own rhythm."""
    kinds = {k for r in rules.cadences.values() for k, d in r.items() if d > 0}
    kinds |= {k for r in rules.overrides.values() for k, d in r.items() if d > 0}
    found: dict[tuple[date, str], int] = {}
    if lost is None:
        lost = lost_customers(conn)

    def add(due: date, kind: str, n: int) -> None:
        if first <= due <= last:
            found[due, kind] = found.get((due, kind), 0) + n

    for kind in sorted(kinds):
        by_days: dict[int, list[str]] = {}
        for tier, rhythms in rules.cadences.items():
            if rhythms.get(kind, 0) > 0:
                by_days.setdefault(rhythms[kind], []).append(tier)
        own = {cid: r[kind] for cid, r in rules.overrides.items() if kind in r}
        left_out = json.dumps(sorted({*lost, *own}))
        for days, tiers in sorted(by_days.items()):
            select = f"""
                SELECT d.day, (SELECT count(*) FROM interaction i INDEXED BY ix_interaction_kind_time
                    WHERE i.kind = ? AND i.happened_at >= d.lo AND i.happened_at < d.hi
                      AND i.customer_id IN (SELECT id FROM customer WHERE tier IN ({", ".join("?" * len(tiers))}))
                      AND i.customer_id NOT IN (SELECT value FROM json_each(?)))
                FROM days d
            """
            shift = timedelta(days=days)
            for day, n in _per_day(conn, first - shift, last - shift, select, (kind, *tiers, left_out)):
                add(_day(day) + shift, kind, n)
        if not own:
            continue
        longest = timedelta(days=max([*own.values(), *by_days]))
        sql = """
            SELECT i.customer_id, date(i.happened_at, 'localtime') FROM cadence own
            JOIN interaction i ON i.customer_id = own.customer_id AND i.kind = own.kind
            JOIN customer c ON c.id = own.customer_id
            WHERE own.kind = ? AND NOT c.churned AND i.happened_at >= ? AND i.happened_at < ?
        """
        for cid, day in conn.execute(sql, (kind, utc_text(first - longest), utc_text(last + timedelta(days=1)))):
            if own.get(cid, 0) > 0:
                add(_day(day) + timedelta(days=own[cid]), kind, 1)
    return [Count(due, kind, n) for (due, kind), n in found.items() if n]


def manual_planned(conn: sqlite3.Connection, first: date, last: date) -> list[Count]:
    sql = """
        SELECT due_date, kind, count(*) FROM touchpoint
        WHERE source_key = ? AND due_date BETWEEN ? AND ? GROUP BY due_date, kind
    """
    rows = conn.execute(sql, (sources.MANUAL, first.isoformat(), last.isoformat()))
    return [Count(_day(day), kind, n) for day, kind, n in rows]


def festival_days(rules: Rules, first: date, last: date) -> list[tuple[str, date]]:
    """The festivals the user greets from ``first`` to ``last`` (as far as the calendar goes)."""
    covered = within_calendar(first, last)
    if not covered:
        return []
    return [(f.key, f.date) for f in festivals_between(*covered) if f.key in rules.festival_keys]


def festival_owed(
    conn: sqlite3.Connection, rules: Rules, keys: Iterable[str], lost: Collection[int] | None = None
) -> dict[str, list[int]]:
    """{festival: the customers owed its greeting, by tier and id}: the agenda's festival
    tiers, not lost (``lost``, read here if not given); 妇女节 and 七夕 only where they fit
    (kequ.domain.gender).

    The ids come off the tier index alone; only a festival that depends on whom it greets
    reads the customers' rows."""
    keys = list(keys)
    tiers = sorted(rules.festival_tiers)
    if not tiers:
        return {key: [] for key in keys}
    marks = ", ".join("?" * len(tiers))
    restricted = any(key in RESTRICTED_FESTIVALS for key in keys)
    columns = "honorific, gender, relation_type" if restricted else "NULL, NULL, NULL"
    sql = f"SELECT id, {columns} FROM customer WHERE tier IN ({marks}) ORDER BY tier, id"
    gone = set(lost_customers(conn) if lost is None else lost)
    people = [row for row in conn.execute(sql, tiers) if row[0] not in gone]
    everyone = [cid for cid, *_ in people]
    owed: dict[str, list[int]] = {}
    for key in keys:
        if key in RESTRICTED_FESTIVALS:
            owed[key] = [
                cid
                for cid, honorific, gender, relation in people
                if festival_fits(key, known_gender(gender, honorific).gender, relation)
            ]
        else:
            owed[key] = everyone
    return owed


def greeted(conn: sqlite3.Connection, since: date) -> list[Greeted]:
    """Festival greetings handled (sent or skipped) for festivals since ``since``."""
    sql = """
        SELECT source_key, occurrence, customer_id, status FROM touchpoint
        WHERE source_key LIKE 'festival:%' AND occurrence >= ? AND status IN ('done', 'skipped')
    """
    return [
        Greeted(sources.reference(key), _day(day), cid, status)
        for key, day, cid, status in conn.execute(sql, (since.isoformat(),))
    ]


def gifts(conn: sqlite3.Connection, first: date, last: date) -> list[GiftFact]:
    sql = "SELECT given_on, customer_id, cost_cents FROM gift WHERE given_on BETWEEN ? AND ?"
    return [GiftFact(_day(d), cid, cost) for d, cid, cost in conn.execute(sql, (first.isoformat(), last.isoformat()))]


def gift_months(conn: sqlite3.Connection, first: date, last: date) -> dict[str, int]:
    """{"2026-11": cents} spent on gifts per month from ``first`` to ``last``, oldest first
    (a gift without a cost counts its month at nothing more)."""
    sql = """
        SELECT substr(given_on, 1, 7) AS month, sum(coalesce(cost_cents, 0)) FROM gift
        WHERE given_on BETWEEN ? AND ? GROUP BY month ORDER BY month
    """
    return {month: int(cents) for month, cents in conn.execute(sql, (first.isoformat(), last.isoformat()))}


def complaints(conn: sqlite3.Connection) -> list[ComplaintFact]:
    sql = """
        SELECT id, customer_id, date(opened_at, 'localtime'), date(closed_at, 'localtime'), status, cause
        FROM complaint
    """
    return [
        ComplaintFact(kid, cid, _day(opened), _day(closed) if closed else None, status, cause)
        for kid, cid, opened, closed, status, cause in conn.execute(sql)
    ]


def deals(conn: sqlite3.Connection, first: date, last: date) -> tuple[list[DealFact], list[StepDone]]:
    """Deals closed from ``first`` to ``last``, and what was done with their 0-3-10-20 steps."""
    rows = conn.execute(
        "SELECT id, customer_id, closed_on FROM deal WHERE closed_on BETWEEN ? AND ?",
        (first.isoformat(), last.isoformat()),
    )
    found = [DealFact(did, cid, _day(closed)) for did, cid, closed in rows]
    if not found:
        return found, []
    sql = """
        SELECT source_key, status, coalesce(date(handled_at, 'localtime'), due_date) FROM touchpoint
        WHERE source_key LIKE 'deal:%' AND occurrence >= ? AND status IN ('done', 'skipped')
    """
    wanted = {d.id for d in found}
    steps = []
    for key, status, on in conn.execute(sql, (first.isoformat(),)):
        deal_id, day = sources.reference(key).split(":")
        if int(deal_id) in wanted:
            steps.append(StepDone(int(deal_id), int(day), status, _day(on)))
    return found, steps


def names(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    """{id: (name, honorific, company)} for the customers shown."""
    wanted = sorted(set(ids))
    found: dict[int, tuple[str, str, str]] = {}
    for chunk in range(0, len(wanted), 900):
        part = wanted[chunk : chunk + 900]
        sql = f"SELECT id, name, honorific, company FROM customer WHERE id IN ({', '.join('?' * len(part))})"
        for cid, name, honorific, company in conn.execute(sql, part):
            found[cid] = (name, honorific, company)
    return found


def touched(conn: sqlite3.Connection, first: date, last: date, kind: str | None = None) -> list[int]:
    """The customers contacted from ``first`` to ``last`` (of ``kind``), most contacted first."""
    sql = "SELECT i.customer_id FROM interaction i WHERE i.happened_at >= ? AND i.happened_at < ?"
    params: list[object] = [utc_text(first), utc_text(last + timedelta(days=1))]
    if kind is not None:
        sql += " AND i.kind = ?"
        params.append(kind)
    else:
        sql += f" AND {_ANY_KIND}"
    sql += " GROUP BY i.customer_id ORDER BY count(*) DESC, i.customer_id"
    return [cid for (cid,) in conn.execute(sql, params)]


def last_contacts(
    conn: sqlite3.Connection, rules: Rules, today: date, where: str, params: Sequence[object] = ()
) -> list[tuple[int, date, int]]:
    """(id, last contact by ``today`` or else the day added, call rhythm) of each customer
    matching ``where`` (SQL on ``customer c``): one index seek per customer."""
    sql = f"""
        SELECT c.id, c.tier, date(coalesce(
            (SELECT max(i.happened_at) FROM interaction i WHERE i.customer_id = c.id AND i.happened_at < ?),
            c.created_at), 'localtime')
        FROM customer c WHERE {where}
    """
    out = []
    for cid, tier, day in conn.execute(sql, (utc_text(today + timedelta(days=1)), *params)):
        rhythm = rules.overrides.get(cid, {}).get("call", rules.cadences.get(tier, {}).get("call", 0))
        out.append((cid, _day(day), rhythm))
    return out


# Customers per history read: the id list is repeated in each of its queries.
HISTORY_CHUNK = 150


def histories_of(conn: sqlite3.Connection, rules: Rules, today: date, ids: Sequence[int]) -> list[History]:
    """The histories of the customers ``ids``, read a chunk at a time."""
    out: list[History] = []
    for chunk in range(0, len(ids), HISTORY_CHUNK):
        part = ids[chunk : chunk + HISTORY_CHUNK]
        out += histories(conn, rules, today, f"c.id IN ({', '.join('?' * len(part))})", part)
    return out


def histories(
    conn: sqlite3.Connection, rules: Rules, today: date, where: str = "1", params: Sequence[object] = ()
) -> list[History]:
    """The history of each customer matching ``where`` (SQL on ``customer c``) that their
    health reads: contacts, festivals and birthdays owed and greeted, gifts, complaints.

    Read a little over a year back, so the score four weeks ago sees its own year too."""
    since = today - timedelta(days=YEAR_DAYS + 60)
    chosen = f"SELECT c.id FROM customer c WHERE {where}"
    people = conn.execute(
        f"SELECT c.id, c.tier, c.stage, date(c.created_at, 'localtime'), c.churned, c.honorific, c.gender,"
        f" c.relation_type FROM customer c WHERE {where}",
        params,
    ).fetchall()
    if not people:
        return []
    contacts: dict[int, list[date]] = {}
    sql = f"""
        SELECT customer_id, date(happened_at, 'localtime') FROM interaction
        WHERE customer_id IN ({chosen}) AND happened_at >= ?
        UNION ALL
        SELECT customer_id, date(max(happened_at), 'localtime') FROM interaction
        WHERE customer_id IN ({chosen}) AND happened_at < ? GROUP BY customer_id
    """
    for cid, day in conn.execute(sql, (*params, utc_text(since), *params, utc_text(since))):
        contacts.setdefault(cid, []).append(_day(day))
    handled: dict[tuple[int, str, date], date] = {}
    sql = f"""
        SELECT customer_id, source_key, occurrence, coalesce(date(handled_at, 'localtime'), due_date) FROM touchpoint
        WHERE customer_id IN ({chosen}) AND status = 'done' AND occurrence >= ?
          AND (source_key LIKE 'festival:%' OR source_key LIKE 'date:%')
    """
    for cid, key, occurrence, on in conn.execute(sql, (*params, since.isoformat())):
        handled[cid, key, _day(occurrence)] = _day(on)
    occasions: dict[int, list[Occasion]] = {}
    owed_days = [(key, sources.key(sources.FESTIVAL, key), day) for key, day in festival_days(rules, since, today)]
    greeted_tiers = rules.festival_tiers
    for cid, tier, _stage, _added, churned, honorific, gender, relation in people:
        if churned or tier not in greeted_tiers:
            continue
        sex = known_gender(gender, honorific).gender
        mine = occasions.setdefault(cid, [])
        for key, source, day in owed_days:
            if key in RESTRICTED_FESTIVALS and not festival_fits(key, sex, relation):
                continue
            mine.append(Occasion(day, handled.get((cid, source, day))))
    sql = f"""
        SELECT id, customer_id, month, day, lunar, leap, year FROM important_date
        WHERE kind = ? AND customer_id IN ({chosen})
    """
    covered = within_calendar(since, today)
    for did, cid, month, day, lunar, leap, year in conn.execute(sql, (DateKind.BIRTHDAY.value, *params)):
        if not covered:
            break
        for when in occurrences(AnnualDate(month, day, bool(lunar), bool(leap), year), *covered):
            greeted_on = handled.get((cid, sources.key(sources.DATE, did), when))
            occasions.setdefault(cid, []).append(Occasion(when, greeted_on))
    given: dict[int, list[date]] = {}
    sql = f"SELECT customer_id, given_on FROM gift WHERE customer_id IN ({chosen}) AND given_on >= ?"
    for cid, day in conn.execute(sql, (*params, since.isoformat())):
        given.setdefault(cid, []).append(_day(day))
    spans: dict[int, list[ComplaintSpan]] = {}
    sql = f"""
        SELECT customer_id, date(opened_at, 'localtime'), date(closed_at, 'localtime') FROM complaint
        WHERE customer_id IN ({chosen}) AND status != 'withdrawn'
    """
    for cid, opened, closed in conn.execute(sql, params):
        spans.setdefault(cid, []).append(ComplaintSpan(_day(opened), _day(closed) if closed else None))
    out = []
    for cid, tier, stage, added, churned, *_rest in people:
        rhythm = rules.overrides.get(cid, {}).get("call", rules.cadences.get(tier, {}).get("call", 0))
        out.append(
            History(
                cid,
                tier,
                stage,
                _day(added),
                rhythm,
                tuple(contacts.get(cid, ())),
                tuple(occasions.get(cid, ())),
                tuple(given.get(cid, ())),
                tuple(spans.get(cid, ())),
                bool(churned),
            )
        )
    return out


# A stored date's month and day as one number: 1231 for 31 December, 10815 for the 15th
# of the eighth lunar month, 20815 for the same day of a leap eighth month.
_DAY_CODE = "(CASE WHEN d.lunar THEN (CASE WHEN d.leap THEN 20000 ELSE 10000 END) ELSE 0 END + d.month * 100 + d.day)"
# Past this many codes (a window of most of a year) every date is read instead.
_MAX_DAY_CODES = 900


@lru_cache(maxsize=8)
def _day_codes_within(first: date, last: date) -> tuple[int, ...]:
    """The codes (``_DAY_CODE``) of every month and day, solar or lunar, that falls from
    ``first`` to ``last`` in some year. A birth year only takes occurrences away, so a
    date whose code is not here has none in the window."""
    codes = []
    for lunar, leap, base in ((False, False, 0), (True, False, 10000), (True, True, 20000)):
        for month in range(1, 13):
            for day in range(1, 32):
                if occurrences(AnnualDate(month, day, lunar, leap), first, last):
                    codes.append(base + month * 100 + day)
    return tuple(codes)


def date_planned(conn: sqlite3.Connection, first: date, last: date, lost: Collection[int] | None = None) -> list[Count]:
    """Yearly dates and life events falling due from ``first`` to ``last``, by the touch they ask for.

    SQLite counts the dates alike (a birth year before the window changes nothing), so each
    distinct date is turned into its days once, lunar or not. The lost customers' dates
    (``lost``, read here if not given) are left out."""
    covered = within_calendar(first, last)
    if not covered:
        return []
    # Occurrences start at the birth year; one before the window's first year is as good as none.
    oldest = covered[0].year - 1
    # Only the dates whose month and day (lunar or not) fall in the window are grouped:
    # a quarter of the book's dates for the review's thirteen weeks.
    codes = _day_codes_within(*covered)
    within = f"AND {_DAY_CODE} IN ({', '.join('?' * len(codes))})" if len(codes) <= _MAX_DAY_CODES else ""
    sql = f"""
        SELECT d.kind, d.month, d.day, d.lunar, d.leap, CASE WHEN d.year >= ? THEN d.year END AS born,
               d.lead_days, count(*)
        FROM important_date d WHERE d.customer_id NOT IN (SELECT value FROM json_each(?)) {within}
        GROUP BY d.kind, d.month, d.day, d.lunar, d.leap, born, d.lead_days
    """
    found: dict[tuple[date, str], int] = {}
    annuals: dict[tuple[int, int, int, int, int | None], list[date]] = {}
    yearly = {DateKind.BIRTHDAY.value, DateKind.ANNIVERSARY.value, DateKind.OTHER.value}
    gone = json.dumps(sorted(lost_customers(conn) if lost is None else lost))
    params = (oldest, gone, *codes) if within else (oldest, gone)
    for kind, month, day, lunar, leap, year, lead, n in conn.execute(sql, params):
        key = (month, day, lunar, leap, year)
        days = annuals.get(key)
        if days is None:
            days = annuals[key] = occurrences(AnnualDate(month, day, bool(lunar), bool(leap), year), *covered)
        if kind not in yearly:
            days = [d for d in days if year is not None and d.year == year]
        what = touch_kind(kind, lead)
        for when in days:
            due = when - timedelta(days=lead)
            found[due, what] = found.get((due, what), 0) + n
    return [Count(due, kind, n) for (due, kind), n in found.items()]


def contacts(conn: sqlite3.Connection, first: date, last: date) -> list[tuple[date, int, str, str, str, str, str]]:
    """Every contact from ``first`` to ``last``, oldest first: (day, customer id, name,
    company, kind, note, outcome)."""
    sql = f"""
        SELECT date(i.happened_at, 'localtime'), c.id, c.name, c.company, i.kind, i.notes, i.outcome
        FROM interaction i JOIN customer c ON c.id = i.customer_id
        WHERE i.happened_at >= ? AND i.happened_at < ? AND {_ANY_KIND} ORDER BY i.happened_at, i.id
    """
    rows = conn.execute(sql, (utc_text(first), utc_text(last + timedelta(days=1))))
    return [
        (_day(day), cid, name, company, kind, note, outcome) for day, cid, name, company, kind, note, outcome in rows
    ]


def next_planned(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, tuple[date, str, str]]:
    """{customer id: (day, kind, reason)} of each one's next touch planned by hand or snoozed."""
    wanted = sorted(set(ids))
    found: dict[int, tuple[date, str, str]] = {}
    for chunk in range(0, len(wanted), 900):
        part = wanted[chunk : chunk + 900]
        sql = f"""
            SELECT customer_id, min(due_date), kind, reason FROM touchpoint
            WHERE status IN ('planned', 'snoozed') AND customer_id IN ({", ".join("?" * len(part))})
            GROUP BY customer_id
        """
        for cid, day, kind, reason in conn.execute(sql, part):
            found[cid] = (_day(day), kind, reason)
    return found
