"""push, pull and visible_customers against the real server, as the salespeople's laptops
would call them, and an admin's transfer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from kequ.services.team import transfer
from kequ.storage.sync.server import connect, pull, push, visible_customers
from kequ.storage.sync.server_schema import SYNCED
from tests.team.rows import AT, delete, new_uid, put, whole

LATER = "2026-11-23T02:00:00.000000Z"
LATEST = "2026-11-23T03:00:00.000000Z"


@pytest.fixture
def conns(team_db, make_user) -> Iterator[dict[str, Any]]:
    opened = {"a": connect(make_user("a")), "b": connect(make_user("b")), "m": connect(make_user("m", manager=True))}
    opened["admin"] = connect(team_db.admin_url)
    for conn in opened.values():
        conn.name = conn.execute("SELECT current_user").fetchone()[0]  # type: ignore[attr-defined]
    yield opened
    for conn in opened.values():
        conn.close()


def _one_of_each() -> tuple[list[dict[str, Any]], dict[str, str]]:
    """A new row of every synced table, tied together as the laptop's would be."""
    uid = {table: new_uid() for table in SYNCED}
    c = uid["customer"]
    rows = {
        "customer": whole("customer", name="王建国", honorific="王总", phones=["13800000000"], tags=["苏州"]),
        "important_date": whole("important_date", customer_uid=c, month=3, day=8, lunar=True, year=None),
        "touchpoint": whole("touchpoint", customer_uid=c, kind="call", source_key="manual", handled_at=None),
        "interaction": whole("interaction", customer_uid=c, kind="call", notes="聊了新项目", happened_at=AT),
        "cadence": whole("cadence", customer_uid=c, kind="call", interval_days=14),
        "deal": whole("deal", customer_uid=c, closed_on="2026-11-20", amount_cents=1200000),
        "gift": whole("gift", customer_uid=c, given_on="2026-11-21", item="茶叶", cost_cents=None),
        "complaint": whole("complaint", customer_uid=c, summary="发货晚了", step=2),
        "complaint_step": whole("complaint_step", complaint_uid=uid["complaint"], step=1, data={"who": "张经理"}),
        "trip": whole("trip", name="苏州出差", cities=["苏州", "无锡"], start_on="2026-12-01", end_on="2026-12-03"),
        "trip_visit": whole("trip_visit", trip_uid=uid["trip"], customer_uid=c, time="10:30", next_on=None),
        "trip_expense": whole("trip_expense", trip_uid=uid["trip"], amount_cents=35000, category="hotel"),
        "setting": whole("setting", key="lang", value={"ui": "zh"}),
        "greeting_template": whole("greeting_template", occasion="birthday", body="生日快乐！"),
    }
    return [put(table, uid[table], fields) for table, fields in rows.items()], uid


def _by_uid(changes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {change["uid"]: change for change in changes}


def test_every_synced_table_round_trips_through_the_server(conns) -> None:
    changes, uid = _one_of_each()
    result = push(conns["a"], changes)
    assert result.refused == []
    assert sorted(result.accepted) == sorted(uid.values())
    pulled, cursor = pull(conns["a"], 0)
    got = _by_uid(pulled)
    assert set(got) == set(uid.values())
    for change in changes:
        back = got[change["uid"]]
        assert back["table"] == change["table"]
        assert back["op"] == "put"
        assert back["fields"] == change["fields"], change["table"]
        assert back["seq"] <= cursor
    assert got[uid["customer"]]["owner"] == conns["a"].name
    assert got[uid["interaction"]]["customer_uid"] == uid["customer"]
    assert got[uid["complaint_step"]]["customer_uid"] == uid["customer"]  # from its complaint
    assert pull(conns["a"], cursor) == ([], cursor)


def test_another_salesperson_pulls_none_of_it_and_the_manager_only_the_customer_s_rows(conns) -> None:
    changes, uid = _one_of_each()
    push(conns["a"], changes)
    assert pull(conns["b"], 0)[0] == []
    seen = {change["table"] for change in pull(conns["m"], 0)[0]}
    personal = {"trip", "trip_visit", "trip_expense", "setting", "greeting_template"}
    assert seen == set(SYNCED) - personal
    assert visible_customers(conns["m"]) == {uid["customer"]}
    assert visible_customers(conns["b"]) == set()


def test_customer_fields_merge_one_by_one_and_the_later_write_wins(conns) -> None:
    c = new_uid()
    push(conns["a"], [put("customer", c, whole("customer", name="王建国", city="苏州"), at=AT)])
    # The manager (on the server first) changes the city at 03:00 ...
    assert push(conns["m"], [put("customer", c, {"city": "上海"}, at=LATEST)]).conflicts == []
    # ... the laptop, offline, changed the city and the company at 02:00.
    result = push(conns["a"], [put("customer", c, {"city": "无锡", "company": "恒瑞"}, at=LATER)])
    assert result.accepted == [c]
    [conflict] = result.conflicts
    assert (conflict.table, conflict.uid, conflict.field) == ("customer", c, "city")
    assert (conflict.mine, conflict.theirs, conflict.their_at) == ("无锡", "上海", LATEST)
    fields = _by_uid(pull(conns["a"], 0)[0])[c]["fields"]
    assert (fields["city"], fields["company"]) == ("上海", "恒瑞")


def test_the_same_value_written_later_still_beats_an_older_write(conns) -> None:
    c, d = new_uid(), new_uid()
    push(conns["a"], [put("customer", c, whole("customer", name="王总", city="苏州"), at=AT)])
    push(conns["a"], [put("deal", d, whole("deal", customer_uid=c, note="新"), at=AT)])
    # The manager confirms both at 03:00 (no change of value) ...
    assert push(conns["m"], [put("customer", c, {"city": "苏州"}, at=LATEST)]).conflicts == []
    assert push(conns["m"], [put("deal", d, {"note": "新"}, at=LATEST)]).conflicts == []
    # ... so a third laptop's older edit of 02:00 loses to it.
    result = push(conns["a"], [put("customer", c, {"city": "无锡"}, at=LATER)])
    assert [(x.field, x.mine, x.theirs, x.their_at) for x in result.conflicts] == [("city", "无锡", "苏州", LATEST)]
    result = push(conns["a"], [put("deal", d, {"note": "旧"}, at=LATER)])
    assert [(x.field, x.mine, x.theirs) for x in result.conflicts] == [("note", "旧", "新")]
    got = _by_uid(pull(conns["a"], 0)[0])
    assert (got[c]["fields"]["city"], got[d]["fields"]["note"]) == ("苏州", "新")


def test_a_laptop_clock_in_the_future_does_not_win_every_later_edit(conns) -> None:
    from datetime import timedelta

    from kequ.storage.sync.server import iso

    c = new_uid()
    push(conns["a"], [put("customer", c, whole("customer", name="王总", city="苏州"), at="2099-01-01T00:00:00Z")])
    server_now = conns["admin"].execute("SELECT now()").fetchone()[0]
    times = conns["admin"].execute("SELECT field_times->>'city' FROM kequ.customer WHERE uid = %s", (c,)).fetchone()
    assert times[0] <= iso(server_now + timedelta(minutes=5))
    # The manager's edit, made after it by the server's clock, wins.
    edit = push(conns["m"], [put("customer", c, {"city": "上海"}, at=iso(server_now + timedelta(minutes=5)))])
    assert edit.conflicts == []
    assert _by_uid(pull(conns["a"], 0)[0])[c]["fields"]["city"] == "上海"


def test_an_older_write_to_another_table_loses_as_a_whole_row(conns) -> None:
    c, d = new_uid(), new_uid()
    push(conns["a"], [put("customer", c, whole("customer", name="王总"))])
    push(conns["a"], [put("deal", d, whole("deal", customer_uid=c, note="新"), at=LATEST)])
    result = push(conns["a"], [put("deal", d, {"note": "旧"}, at=LATER)])
    assert [(x.field, x.mine, x.theirs) for x in result.conflicts] == [("note", "旧", "新")]


def test_contacts_gifts_and_complaint_steps_are_only_appended(conns) -> None:
    c, i = new_uid(), new_uid()
    push(conns["a"], [put("customer", c, whole("customer", name="王总"))])
    push(conns["a"], [put("interaction", i, whole("interaction", customer_uid=c, kind="call", notes="原话"))])
    again = push(conns["a"], [put("interaction", i, whole("interaction", customer_uid=c, kind="call", notes="改过"))])
    assert (again.accepted, again.conflicts) == ([i], [])
    assert _by_uid(pull(conns["a"], 0)[0])[i]["fields"]["notes"] == "原话"
    assert push(conns["a"], [delete("interaction", i, at=LATER)]).refused == [(i, "append_only")]


def test_a_row_under_someone_else_s_customer_is_refused_and_left_alone(conns) -> None:
    cb = new_uid()
    push(conns["b"], [put("customer", cb, whole("customer", name="李姐"))])
    sneaky = new_uid()
    result = push(
        conns["a"],
        [
            put("interaction", sneaky, whole("interaction", customer_uid=cb, kind="call")),
            put("customer", cb, {"name": "改名"}, at=LATEST),
            delete("customer", cb, at=LATEST),
        ],
    )
    assert result.accepted == []
    assert sorted(result.refused) == sorted([(sneaky, "not_yours"), (cb, "not_yours"), (cb, "not_yours")])
    fields = _by_uid(pull(conns["b"], 0)[0])[cb]["fields"]
    assert fields["name"] == "李姐"


def test_a_refusal_undoes_only_its_own_change(conns) -> None:
    c = new_uid()
    result = push(
        conns["a"],
        [
            {"table": "nonsense", "uid": new_uid(), "op": "put", "at": AT, "fields": {}},
            put("customer", "not-a-uid", whole("customer", name="x")),
            put("deal", new_uid(), {"note": "no customer and no date"}),
            put("customer", c, whole("customer", name="好的")),
        ],
    )
    assert result.accepted == [c]
    assert sorted(reason for _uid, reason in result.refused) == ["invalid", "invalid", "unknown_table"]
    # The refused changes left nothing behind; the accepted one is there.
    admin = conns["admin"]
    assert admin.execute("SELECT uid::text, name FROM kequ.customer").fetchall() == [(c, "好的")]
    assert admin.execute("SELECT count(*) FROM kequ.deal").fetchone()[0] == 0


def test_a_pool_customer_is_claimed_by_a_change_to_it_or_under_it(conns, team_db) -> None:
    admin, b = conns["admin"], conns["b"]
    p1, p2, contact = new_uid(), new_uid(), new_uid()
    for uid in (p1, p2):
        push(b, [put("customer", uid, whole("customer", name="公海客户"))])
    assert sorted(transfer(team_db.admin_url, b.name, None, None)) == sorted([p1, p2])
    assert visible_customers(conns["b"]) == {p1, p2}
    push(conns["a"], [put("customer", p1, {"city": "南京"}, at=LATER)])
    push(conns["a"], [put("interaction", contact, whole("interaction", customer_uid=p2, kind="visit"))])
    owners = dict(admin.execute("SELECT uid::text, owner FROM kequ.customer WHERE uid = ANY(%s::uuid[])", ([p1, p2],)))
    assert owners == {p1: conns["a"].name, p2: conns["a"].name}
    assert visible_customers(conns["b"]) == set()
    for uid in (p1, p2):  # the whole history: b's, the pool's (closed by the claim), a's (open)
        history = admin.execute(
            'SELECT owner, until IS NOT NULL, "by" FROM kequ.ownership WHERE customer_uid = %s ORDER BY id', (uid,)
        ).fetchall()
        assert history == [(b.name, True, b.name), (None, True, admin.name), (conns["a"].name, False, conns["a"].name)]


def test_a_deleted_customer_takes_what_is_under_it_and_leaves_every_laptop(conns) -> None:
    changes, uid = _one_of_each()
    push(conns["a"], changes)
    _, cursor = pull(conns["a"], 0)
    assert push(conns["a"], [delete("customer", uid["customer"], at=LATER)]).accepted == [uid["customer"]]
    after, _ = pull(conns["a"], cursor)
    deleted = {change["table"] for change in after if change["op"] == "delete"}
    assert {"customer", "interaction", "gift", "complaint_step", "deal"} <= deleted
    assert "fields" not in _by_uid(after)[uid["customer"]]
    assert visible_customers(conns["a"]) == set()
    # A change to it from another laptop that was offline is refused, not lost silently.
    assert push(conns["a"], [put("customer", uid["customer"], {"city": "x"}, at=LATEST)]).refused == [
        (uid["customer"], "deleted")
    ]
    # So is a new row under it, from every table that hangs under a customer.
    late = {
        table: new_uid()
        for table in ("interaction", "gift", "deal", "important_date", "touchpoint", "cadence", "complaint")
    }
    late_steps = new_uid()
    result = push(
        conns["a"],
        [put(table, u, whole(table, customer_uid=uid["customer"]), at=LATEST) for table, u in late.items()]
        + [put("complaint_step", late_steps, whole("complaint_step", complaint_uid=uid["complaint"]), at=LATEST)],
    )
    assert result.accepted == []
    assert sorted(result.refused) == sorted((u, "deleted") for u in [*late.values(), late_steps])
    live = conns["admin"].execute(
        "SELECT count(*) FROM kequ.interaction WHERE customer_uid = %s AND NOT deleted", (uid["customer"],)
    )
    assert live.fetchone()[0] == 0


def test_a_user_s_setting_is_one_row_whichever_laptop_wrote_it_first(conns) -> None:
    first, second = new_uid(), new_uid()
    push(conns["a"], [put("setting", first, whole("setting", key="lang", value="zh"), at=AT)])
    result = push(conns["a"], [put("setting", second, whole("setting", key="lang", value="en"), at=LATER)])
    assert result.accepted == [second]
    settings = [change for change in pull(conns["a"], 0)[0] if change["table"] == "setting"]
    assert [(change["uid"], change["fields"]["value"]) for change in settings] == [(first, "en")]
    # Deleted from the second laptop, under its own uid: the one row goes.
    assert push(conns["a"], [delete("setting", second, at=LATEST)]).accepted == [second]
    settings = [change for change in pull(conns["a"], 0)[0] if change["table"] == "setting"]
    assert [(change["uid"], change["op"]) for change in settings] == [(first, "delete")]
    # Another user's laptop cannot reach it through the alias.
    assert push(conns["b"], [delete("setting", second, at=LATEST)]).accepted == [second]
    assert conns["b"].execute("SELECT count(*) FROM kequ.setting_alias").fetchone()[0] == 0


def test_a_transfer_moves_customers_with_their_history_and_the_new_owner_pulls_them(conns, team_db) -> None:
    a, b = conns["a"], conns["b"]
    changes, uid = _one_of_each()
    push(a, changes)
    _, b_cursor = pull(b, 0)
    moved = transfer(team_db.admin_url, a.name, b.name, None)
    assert moved == [uid["customer"]]
    brought = _by_uid(pull(b, b_cursor)[0])
    for table in ("customer", "interaction", "gift", "deal", "complaint", "complaint_step", "important_date"):
        assert uid[table] in brought, table
    assert brought[uid["customer"]]["owner"] == b.name
    assert visible_customers(a) == set()
    assert visible_customers(b) == {uid["customer"]}
    # A's laptop, still holding an edit, is told it is no longer hers.
    late = push(a, [put("customer", uid["customer"], {"city": "x"}, at=LATEST)])
    assert late.refused == [(uid["customer"], "not_yours")]
    history = (
        conns["admin"]
        .execute(
            "SELECT owner, until IS NOT NULL, by FROM kequ.ownership WHERE customer_uid = %s ORDER BY id",
            (uid["customer"],),
        )
        .fetchall()
    )
    assert history == [(a.name, True, a.name), (b.name, False, conns["admin"].name)]


def test_a_transfer_from_a_locked_login_works_but_not_to_one(conns, team_db) -> None:
    from kequ.errors import KequError

    a, b = conns["a"], conns["b"]
    c = new_uid()
    push(a, [put("customer", c, whole("customer", name="王总"))])
    # Someone leaves: the admin locks the login first, then hands the customers over.
    conns["admin"].execute(f"ALTER ROLE {a.name} NOLOGIN")
    assert transfer(team_db.admin_url, a.name, b.name, None) == [c]
    assert visible_customers(b) == {c}
    with pytest.raises(KequError) as refused:
        transfer(team_db.admin_url, b.name, a.name, None)
    assert (refused.value.key, refused.value.params["name"]) == ("team.no_such_user", a.name)
    with pytest.raises(KequError) as refused:
        transfer(team_db.admin_url, "nobody_at_all", b.name, None)
    assert refused.value.key == "team.no_such_user"


def test_a_transferred_customer_s_trip_visits_leave_the_old_owner_and_the_write_up_goes_along(conns, team_db) -> None:
    a, b = conns["a"], conns["b"]
    changes, uid = _one_of_each()
    # The write-up of the visit, as the laptop logs it: an interaction on the customer's timeline.
    changes.append(
        put(
            "interaction",
            write_up := new_uid(),
            whole("interaction", customer_uid=uid["customer"], kind="visit", notes="了解到：客户预算 50 万"),
        )
    )
    [visit] = [change for change in changes if change["table"] == "trip_visit"]
    visit["fields"]["learned"] = "客户预算 50 万"
    visit["fields"]["interaction_uid"] = write_up
    assert push(a, changes).refused == []
    _, cursor = pull(a, 0)
    transfer(team_db.admin_url, a.name, b.name, None)
    assert uid["trip_visit"] not in _by_uid(pull(a, cursor)[0])
    assert uid["trip_visit"] not in _by_uid(pull(a, 0)[0])
    assert uid["trip"] in _by_uid(pull(a, 0)[0])  # her trip stays hers
    brought = _by_uid(pull(b, 0)[0])
    assert brought[write_up]["fields"]["notes"] == "了解到：客户预算 50 万"
    assert uid["trip_visit"] not in brought  # the visit was on someone else's trip


def test_a_transfer_of_named_customers_is_all_or_nothing(conns, team_db) -> None:
    a, b = conns["a"], conns["b"]
    c1, c2 = new_uid(), new_uid()
    push(a, [put("customer", c1, whole("customer", name="王总")), put("customer", c2, whole("customer", name="李总"))])
    from kequ.errors import KequError

    with pytest.raises(KequError) as refused:
        transfer(team_db.admin_url, a.name, b.name, ["王总", "没有这个人"])
    assert refused.value.key == "team.not_theirs"
    assert visible_customers(b) == set()
    assert transfer(team_db.admin_url, a.name, b.name, ["王总"]) == [c1]
    assert visible_customers(a) == {c2}


def test_the_pull_cursor_only_brings_what_changed_since(conns) -> None:
    c = new_uid()
    push(conns["a"], [put("customer", c, whole("customer", name="王总"))])
    _, cursor = pull(conns["a"], 0)
    assert pull(conns["a"], cursor)[0] == []
    push(conns["a"], [put("customer", c, {"notes": "爱喝茶"}, at=LATER)])
    [change], newer = pull(conns["a"], cursor)
    assert newer > cursor
    assert change["fields"]["notes"] == "爱喝茶"


def test_the_laptop_cannot_set_the_owner(conns) -> None:
    c = new_uid()
    fields = whole("customer", name="王总")
    fields["owner"] = conns["b"].name
    assert push(conns["a"], [put("customer", c, fields)]).accepted == [c]
    assert _by_uid(pull(conns["a"], 0)[0])[c]["owner"] == conns["a"].name


def test_a_push_to_a_stopped_connection_raises_the_driver_s_error(conns) -> None:
    conns["a"].close()
    with pytest.raises(psycopg.OperationalError):
        push(conns["a"], [])


def test_a_pull_waits_for_a_writer_still_on_its_way_so_the_cursor_skips_nothing(conns, team_db) -> None:
    import threading

    a, b, m = conns["a"], conns["b"], conns["m"]
    ca, cb = new_uid(), new_uid()
    push(a, [put("customer", ca, whole("customer", name="王总"))])
    push(b, [put("customer", cb, whole("customer", name="李姐"))])
    _, cursor = pull(m, 0)
    # A plain-SQL edit (not through push) takes a seq and is not committed yet; another, with a
    # later seq, commits first.
    slow = psycopg.connect(team_db.admin_url)
    slow.execute("UPDATE kequ.customer SET city = '苏州' WHERE uid = %s", (ca,))
    with psycopg.connect(team_db.admin_url, autocommit=True) as fast:
        fast.execute("UPDATE kequ.customer SET city = '无锡' WHERE uid = %s", (cb,))
    got: list[tuple[list[dict[str, Any]], int]] = []
    puller = threading.Thread(target=lambda: got.append(pull(m, cursor)))
    puller.start()
    puller.join(timeout=1.0)
    waited = puller.is_alive()
    slow.commit()
    slow.close()
    puller.join(timeout=30)
    [(changes, newer)] = got
    assert waited, "the pull returned while a lower seq was still uncommitted"
    assert {change["uid"] for change in changes} == {ca, cb}
    assert pull(m, newer) == ([], newer)


def test_new_rows_go_in_together_and_one_that_is_not_yours_is_refused_alone(conns) -> None:
    ca, cb = new_uid(), new_uid()
    push(conns["b"], [put("customer", cb, whole("customer", name="李姐"))])
    mine = [new_uid() for _ in range(5)]
    sneaky = new_uid()
    changes = [put("customer", ca, whole("customer", name="王总"))]
    changes += [put("interaction", u, whole("interaction", customer_uid=ca, notes=f"电话{u[:4]}")) for u in mine]
    changes.insert(3, put("interaction", sneaky, whole("interaction", customer_uid=cb, notes="偷偷记的")))
    result = push(conns["a"], changes)
    assert sorted(result.accepted) == sorted([ca, *mine])
    assert result.refused == [(sneaky, "not_yours")]
    # A second push of the same rows (a sync killed before it heard back) adds nothing.
    again = push(conns["a"], changes)
    assert sorted(again.accepted) == sorted([ca, *mine]) and again.refused == [(sneaky, "not_yours")]
    count = conns["admin"].execute("SELECT count(*), count(DISTINCT uid) FROM kequ.interaction").fetchone()
    assert count == (5, 5)


def test_a_pull_on_the_pushing_connection_leaves_out_its_own_new_rows_but_not_what_changed_them(conns) -> None:
    c, i = new_uid(), new_uid()
    push(conns["a"], [put("customer", c, whole("customer", name="王总"))])
    push(conns["a"], [put("interaction", i, whole("interaction", customer_uid=c, notes="电话"))])
    _, everything = pull(conns["a"], 0)
    left, cursor = pull(conns["a"], 0, skip_pushed=True)
    assert left == [] and cursor == everything  # the cursor still moves past them
    # The manager changes the customer: that change comes down, A's own new contact does not.
    push(conns["m"], [put("customer", c, {"notes": "经理改的"}, at=LATER)])
    push(conns["a"], [put("interaction", new_uid(), whole("interaction", customer_uid=c, notes="再打"))])
    [change], newer = pull(conns["a"], cursor, skip_pushed=True)
    assert change["uid"] == c and change["fields"]["notes"] == "经理改的" and newer > change["seq"]
    assert pull(conns["a"], newer, skip_pushed=True) == ([], newer)
    # Any other connection (another laptop) gets every row.
    assert {ch["uid"] for ch in pull(conns["m"], 0)[0]} >= {c, i}
