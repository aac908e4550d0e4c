"""Acting on the agenda against a real SQLite file: done, snooze, skip, settings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from kequ.domain.records import NewCustomer
from kequ.errors import KequError
from kequ.services.agenda import agenda, complete, set_festival_greetings, skip, snooze
from kequ.services.contacts import log_interaction, record_deal
from kequ.services.customers import add_customer
from kequ.storage.models import Interaction, Touchpoint
from tests.conftest import DEMO_TODAY

TODAY = DEMO_TODAY


def test_done_logs_an_interaction_and_moves_the_cadence(db) -> None:
    cid = add_customer(db, NewCustomer(name="陈志强", honorific="陈总", tier="potential"))
    item = next(i for i in agenda(db, TODAY) if i.customer_id == cid and i.kind == "call")
    complete(db, item, "约好下周三见面")
    assert [i for i in agenda(db, TODAY) if i.customer_id == cid and i.kind == "call"] == []
    with db.session() as session:
        logged = session.exec(select(Interaction).where(Interaction.customer_id == cid)).one()
        assert (logged.kind, logged.outcome) == ("call", "约好下周三见面")
        assert logged.touchpoint_id is not None
    later = agenda(db, TODAY, TODAY + timedelta(days=30))
    assert [i.due for i in later if i.customer_id == cid and i.kind == "call"] == [TODAY + timedelta(days=30)]


def test_deal_steps_done_skipped_snoozed_never_resurface(db) -> None:
    cid = add_customer(db, NewCustomer(name="黄丽娟", tier="temporary"))
    record_deal(db, cid, TODAY - timedelta(days=3), 500_000)
    items = {i.source_key.rsplit(":", 1)[1]: i for i in agenda(db, TODAY) if i.customer_id == cid}
    assert set(items) == {"0", "3"}
    complete(db, items["0"])
    snooze(db, items["3"], TODAY + timedelta(days=1))
    assert [i for i in agenda(db, TODAY) if i.customer_id == cid] == []
    tomorrow = [i for i in agenda(db, TODAY + timedelta(days=1)) if i.customer_id == cid]
    assert [(i.source_key.endswith(":3"), i.overdue_days) for i in tomorrow] == [(True, 0)]
    skip(db, tomorrow[0])
    window = agenda(db, TODAY + timedelta(days=1), TODAY + timedelta(days=40))
    assert [i.source_key.rsplit(":", 1)[1] for i in window if i.customer_id == cid] == ["10", "20"]
    with db.session() as session:
        rows = session.exec(select(Touchpoint).where(Touchpoint.customer_id == cid)).all()
        assert sorted(r.status for r in rows) == ["done", "skipped"]


def test_logging_a_visit_by_hand_moves_the_visit_rhythm(db) -> None:
    cid = add_customer(db, NewCustomer(name="何振华", tier="key"))
    log_interaction(db, cid, "visit", TODAY - timedelta(days=10), "看了新产线")
    visits = [i for i in agenda(db, TODAY, TODAY + timedelta(days=200)) if i.customer_id == cid and i.kind == "visit"]
    assert [v.due for v in visits] == [TODAY + timedelta(days=170)]


def test_festival_greetings_follow_the_setting(db) -> None:
    add_customer(db, NewCustomer(name="罗欣怡", tier="regular"))
    window = (TODAY, TODAY + timedelta(days=366))
    assert not [i for i in agenda(db, *window) if i.kind == "festival"]
    set_festival_greetings(db, keys=["spring_festival"], tiers=["regular"])
    greeted = {i.source_key for i in agenda(db, *window) if i.kind == "festival"}
    assert greeted == {"festival:spring_festival"}
    with pytest.raises(KequError):
        set_festival_greetings(db, keys=["halloween"])


def test_a_repeated_gift_is_refused_unless_insisted(db) -> None:
    from kequ.services.gifts import add_gift, gifts_of, total_spend

    cid = add_customer(db, NewCustomer(name="赵立新", tier="key"))
    add_gift(db, cid, date(2026, 9, 20), "西湖龙井 250g", 36000, "中秋节")
    with pytest.raises(KequError) as refused:
        add_gift(db, cid, date(2026, 12, 20), "西湖龙井", 36000, "元旦")
    assert refused.value.key == "gift.repeat" and "2026-09-20" in refused.value.message()
    add_gift(db, cid, date(2026, 12, 20), "西湖龙井", 36000, "元旦", allow_repeat=True)
    assert len(gifts_of(db, cid)) == 2
    assert total_spend(db, 2026) == (72000, 2)
    with pytest.raises(KequError):
        add_gift(db, cid, date(2026, 12, 20), "   ")


def test_the_agenda_reads_only_the_last_contacts_its_rhythms_need_and_misses_none(db) -> None:
    """Own rhythms (on, off, of a kind no tier has) and tier settings, read as the full history would."""
    from kequ.domain.agenda.rules import due
    from kequ.storage.fast_reads.agenda import read_input, read_rules
    from kequ.storage.models import Cadence

    own_visit = add_customer(db, NewCustomer(name="周建国", tier="regular"))
    plain = add_customer(db, NewCustomer(name="吴晓东", tier="regular"))
    calls_off = add_customer(db, NewCustomer(name="郑丽", tier="key"))
    temporary = add_customer(db, NewCustomer(name="冯涛", tier="temporary"))
    for cid in (own_visit, plain, calls_off, temporary):
        log_interaction(db, cid, "visit", TODAY - timedelta(days=70), "")
        log_interaction(db, cid, "call", TODAY - timedelta(days=100), "")
    with db.session() as session:
        session.add(Cadence(customer_id=own_visit, kind="visit", interval_days=60))
        session.add(Cadence(customer_id=calls_off, kind="call", interval_days=0))
        session.add(Cadence(tier="temporary", kind="call", interval_days=45))
    window = TODAY + timedelta(days=30)
    items = agenda(db, TODAY, window)
    owed = {(i.customer_id, i.kind) for i in items}
    assert (own_visit, "visit") in owed and (plain, "visit") not in owed
    assert (calls_off, "call") not in owed and (temporary, "call") in owed
    assert not any(i.at_risk for i in items if i.customer_id == calls_off)
    with db.reader() as conn:
        everything = due(read_input(conn, TODAY), read_rules(conn), TODAY, window)
    assert items == everything


def test_done_on_a_gift_touch_records_the_gift_with_its_cost_and_occasion(db) -> None:
    from kequ.domain.calendar.lunar import AnnualDate
    from kequ.services.customers import add_annual_date
    from kequ.services.gifts import gifts_of

    cid = add_customer(db, NewCustomer(name="朱建华", honorific="朱总", tier="key"))
    wedding = TODAY + timedelta(days=2)
    add_annual_date(
        db,
        cid,
        AnnualDate(wedding.month, wedding.day, year=wedding.year),
        kind="wedding",
        label="女儿出嫁",
        lead_days=5,
    )
    item = next(i for i in agenda(db, TODAY) if i.customer_id == cid and i.kind == "gift")
    complete(db, item, "送了一对紫砂杯，300元")
    [gift] = gifts_of(db, cid)
    assert (gift.item, gift.cost_cents, gift.given_on) == ("一对紫砂杯", 30000, TODAY)
    assert gift.occasion == "婚礼 · 女儿出嫁"
    # The ledger now warns before the same gift is given again.
    from kequ.services.gifts import add_gift

    with pytest.raises(KequError) as refused:
        add_gift(db, cid, TODAY, "一对 紫砂杯")
    assert refused.value.key == "gift.repeat"


def test_done_on_a_gift_touch_without_an_outcome_records_no_gift(db) -> None:
    from kequ.domain.calendar.lunar import AnnualDate
    from kequ.services.customers import add_annual_date
    from kequ.services.gifts import gifts_of

    cid = add_customer(db, NewCustomer(name="朱建华", tier="key"))
    day = TODAY + timedelta(days=2)
    add_annual_date(db, cid, AnnualDate(day.month, day.day, year=day.year), kind="wedding", lead_days=5)
    item = next(i for i in agenda(db, TODAY) if i.customer_id == cid and i.kind == "gift")
    complete(db, item, "")
    assert gifts_of(db, cid) == []
