"""The touches the rhythms put due, counted against the ids of each rhythm's tiers (less the
lost customers and those with their own rhythm), are the counts of the join on the customer
table that they replace: on the demo book and on a generated book with every tier, lost
customers, own rhythms (longer, shorter, switched off, of a kind no tier has) and tiers
sharing a rhythm, over many periods. The customers owed a festival's greeting, read off the
tier index, are those of the customer rows read before, in the same order."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, datetime, time, timedelta

from kequ.domain.agenda.rules import DEFAULT_FESTIVALS, Rules
from kequ.domain.calendar.lunar import AnnualDate
from kequ.domain.gender import RESTRICTED_FESTIVALS, festival_fits, known_gender
from kequ.domain.records import NewCustomer
from kequ.domain.review.figures import Count
from kequ.services.customers import add_annual_date, add_customer
from kequ.services.lost import mark_lost
from kequ.services.rhythms import set_customer_rhythm
from kequ.services.settings import set_setting
from kequ.storage.fast_reads import review as read
from kequ.storage.fast_reads.agenda import read_rules
from tests.conftest import DEMO_TODAY


def _joined_rhythm_planned(conn: sqlite3.Connection, rules: Rules, first: date, last: date) -> list[Count]:
    """The way the touches due were counted before: each contact's customer looked up in the
    customer table for its tier, own rhythms taken out of their tier's count afterwards."""
    counted: dict[tuple[date, str], int] = {}  # in the order the days are first met

    def count(day: date, kind: str, days: int, n: int) -> None:
        due = day + timedelta(days=days)
        if first <= due <= last:
            counted[due, kind] = counted.get((due, kind), 0) + n

    every = [*rules.cadences.values(), *rules.overrides.values()]
    for kind in sorted({k for rhythms in every for k, d in rhythms.items() if d > 0}):
        by_days = {
            days: [tier for tier, r in rules.cadences.items() if r.get(kind) == days]
            for days in {r[kind] for r in rules.cadences.values() if r.get(kind, 0) > 0}
        }
        for days, tiers in sorted(by_days.items()):
            select = f"""
                SELECT d.day, (SELECT count(*) FROM interaction i JOIN customer c ON c.id = i.customer_id
                    WHERE i.kind = ? AND i.happened_at >= d.lo AND i.happened_at < d.hi
                      AND c.tier IN ({", ".join("?" * len(tiers))}) AND NOT c.churned)
                FROM days d
            """
            shift = timedelta(days=days)
            for day, n in read._per_day(conn, first - shift, last - shift, select, (kind, *tiers)):
                count(date.fromisoformat(day), kind, days, n)
        own = {cid: r[kind] for cid, r in rules.overrides.items() if kind in r}
        if not own:
            continue
        longest = timedelta(days=max([*own.values(), *by_days]))
        sql = """
            SELECT i.customer_id, c.tier, date(i.happened_at, 'localtime') FROM cadence own
            JOIN interaction i ON i.customer_id = own.customer_id AND i.kind = own.kind
            JOIN customer c ON c.id = own.customer_id
            WHERE own.kind = ? AND NOT c.churned AND i.happened_at >= ? AND i.happened_at < ?
        """
        bounds = (read.utc_text(first - longest), read.utc_text(last + timedelta(days=1)))
        for cid, tier, day in conn.execute(sql, (kind, *bounds)):
            tier_days = rules.cadences.get(tier, {}).get(kind, 0)
            if tier_days > 0:
                count(date.fromisoformat(day), kind, tier_days, -1)
            if own.get(cid, 0) > 0:
                count(date.fromisoformat(day), kind, own[cid], 1)
    return [Count(due, kind, n) for (due, kind), n in counted.items() if n]


def _windows(start: date, until: date) -> list[tuple[date, date]]:
    """Thirteen-week windows (the review's) and months, starting every nine days."""
    out = []
    while start < until:
        out += [(start, start + timedelta(days=90)), (start, start + timedelta(days=34))]
        start += timedelta(days=9)
    return out


def _assert_same_counts(db, windows: list[tuple[date, date]]) -> int:
    """Old and new counts in each window, in the same order (the period's kinds are listed
    in the order they first come); returns how many touches fell due in all."""
    due = 0
    with db.reader() as conn:
        rules = read_rules(conn)
        lost = read.lost_customers(conn)
        for first, last in windows:
            new = read.rhythm_planned(conn, rules, first, last, lost)
            assert new == _joined_rhythm_planned(conn, rules, first, last), (first, last)
            assert read.rhythm_planned(conn, rules, first, last) == new  # the lost read here
            due += sum(c.n for c in new)
    return due


def test_the_demo_book_counts_the_same_over_many_periods(demo_db) -> None:
    windows = _windows(DEMO_TODAY - timedelta(days=400), DEMO_TODAY + timedelta(days=120))
    assert len(windows) > 100
    assert _assert_same_counts(demo_db, windows) > 100


def _generated_book(db) -> dict[str, list[int]]:
    """Sixty customers of every tier with two years of contacts of every kind, some lost,
    some with their own rhythms; potential customers visited every 180 days like key ones."""
    rng = random.Random(25)
    tiers = ("key", "potential", "regular", "temporary")
    ids: dict[str, list[int]] = {tier: [] for tier in tiers}
    for n in range(60):
        tier = tiers[n % 4]
        ids[tier].append(add_customer(db, NewCustomer(name=f"客户{n}", tier=tier)))
    set_setting(db, "rhythm.potential.visit", 180)  # two tiers on one visit rhythm
    own = {
        ids["key"][0]: {"call": 14},  # shorter than the tier's
        ids["key"][1]: {"call": 0},  # switched off
        ids["regular"][0]: {"call": 200, "visit": 60},  # longer; a visit rhythm its tier lacks
        ids["temporary"][0]: {"call": 7},  # a tier without any rhythm
        ids["potential"][0]: {"visit": 365},
    }
    for cid, days in own.items():
        set_customer_rhythm(db, cid, days)
    lost = [ids["key"][2], ids["regular"][1], ids["regular"][0], ids["potential"][1]]
    for cid in lost:
        mark_lost(db, cid, "price")
    kinds = ("call", "call", "call", "visit", "visit", "message", "email", "gift")
    rows = []
    start = datetime.combine(DEMO_TODAY - timedelta(days=730), time(0, 0))
    everyone = [cid for found in ids.values() for cid in found]
    for _ in range(2500):
        moment = start + timedelta(minutes=rng.randrange(0, 760 * 24 * 60))
        rows.append((rng.choice(everyone), rng.choice(kinds), moment.strftime("%Y-%m-%d %H:%M:%S.%f")))
    # Contacts a minute either side of midnight UTC, and several on one day by one customer.
    rows += [(ids["key"][3], "call", f"2026-10-0{d} {t}.000000") for d, t in ((1, "23:59:30"), (2, "00:00:00"))]
    rows += [(ids["potential"][2], "visit", "2026-06-15 08:00:00.000000")] * 3
    conn = sqlite3.connect(db.path)
    with conn:
        conn.executemany(
            "INSERT INTO interaction (customer_id, kind, happened_at, notes, outcome) VALUES (?, ?, ?, '', '')", rows
        )
    conn.close()
    return {"lost": lost, "everyone": everyone}


def test_a_generated_book_counts_the_same_over_many_periods(db) -> None:
    _generated_book(db)
    windows = _windows(DEMO_TODAY - timedelta(days=600), DEMO_TODAY + timedelta(days=200))
    assert len(windows) > 150
    assert _assert_same_counts(db, windows) > 1000


def test_the_dates_of_the_lost_customers_given_are_left_out(db) -> None:
    book = _generated_book(db)
    for n, cid in enumerate(book["everyone"]):
        add_annual_date(db, cid, AnnualDate(1 + n % 12, 1 + n % 28))
    first, last = DEMO_TODAY, DEMO_TODAY + timedelta(days=364)  # each month and day once
    with db.reader() as conn:
        read_here = sorted(read.date_planned(conn, first, last))
        given = sorted(read.date_planned(conn, first, last, read.lost_customers(conn)))
        nobody_lost = read.date_planned(conn, first, last, [])
    assert given == read_here
    # Each customer has one birthday in the year: all are counted unless left out as lost.
    assert sum(c.n for c in nobody_lost) == len(book["everyone"])
    assert sum(c.n for c in given) == len(book["everyone"]) - len(book["lost"])


def _festival_owed_by_rows(conn: sqlite3.Connection, rules: Rules, keys: list[str]) -> dict[str, list[int]]:
    """The customers owed each festival's greeting as they were read before: every customer
    row of the festival tiers that is not lost, in the order SQLite gives them."""
    marks = ", ".join("?" * len(rules.festival_tiers))
    sql = f"SELECT id, honorific, gender, relation_type FROM customer WHERE NOT churned AND tier IN ({marks})"
    rows = conn.execute(sql, sorted(rules.festival_tiers)).fetchall()
    return {
        key: [
            cid
            for cid, honorific, gender, relation in rows
            if key not in RESTRICTED_FESTIVALS or festival_fits(key, known_gender(gender, honorific).gender, relation)
        ]
        for key in keys
    }


def _assert_same_owed(db) -> int:
    """Every festival alone, the restricted ones with others, and none; returns how many are owed."""
    keys = list(DEFAULT_FESTIVALS)
    owed = 0
    with db.reader() as conn:
        rules = read_rules(conn)
        lost = read.lost_customers(conn)
        for chosen in [[key] for key in keys] + [keys, ["national_day", "qixi"], []]:
            new = read.festival_owed(conn, rules, chosen, lost)
            assert new == _festival_owed_by_rows(conn, rules, chosen), chosen
            assert read.festival_owed(conn, rules, set(chosen)) == new  # the lost read here
            owed += sum(len(ids) for ids in new.values())
    return owed


def test_the_customers_owed_a_greeting_are_the_same_on_the_demo_book(demo_db) -> None:
    assert _assert_same_owed(demo_db) > 20


def test_the_customers_owed_a_greeting_are_the_same_for_any_festival_tiers(db) -> None:
    book = _generated_book(db)
    # Some women and men by the gender written down or by honorific, some family and stars.
    people = [
        (gender, honorific, relation, cid)
        for n, cid in enumerate(book["everyone"])
        for gender, honorific, relation in [
            (("female", "male", None)[n % 3], ("", "王姐", "李总", "张先生")[n % 4], ("family", "star", None)[n % 3])
        ]
    ]
    conn = sqlite3.connect(db.path)
    with conn:
        conn.executemany("UPDATE customer SET gender = ?, honorific = ?, relation_type = ? WHERE id = ?", people)
    conn.close()
    assert _assert_same_owed(db) > 100  # key and potential, the playbook's
    set_setting(db, "festival_tiers", ["regular"])
    assert _assert_same_owed(db) > 100
    set_setting(db, "festival_tiers", ["temporary", "key", "regular", "potential"])
    assert _assert_same_owed(db) > 400
    set_setting(db, "festival_tiers", [])
    assert _assert_same_owed(db) == 0
