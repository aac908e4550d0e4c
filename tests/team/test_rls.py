"""Row-level security proven with plain SQL, connected as each login: two salespeople (A, B)
and a manager (M) share one team database; the admin puts the rows in place."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from tests.team.rows import new_uid, whole

INTERACTION = (
    "INSERT INTO kequ.interaction (uid, customer_uid, kind, happened_at, notes, outcome, seq)"
    " VALUES (%s, %s, 'call', now(), %s, '', 0)"
)


@dataclass
class Team:
    a: Any
    b: Any
    m: Any
    admin: Any
    a_name: str
    b_name: str
    ca: str  # A's customer
    cb: str  # B's customer
    pool: str  # nobody's
    ia: str  # an interaction under ca
    ib: str  # an interaction under cb


def _customer(conn: Any, uid: str, name: str, owner: str | None) -> None:
    fields = whole("customer", name=name)
    columns = ", ".join(f'"{c}"' for c in fields)
    marks = ", ".join(["%s"] * len(fields))
    values = [psycopg.types.json.Jsonb(v) if isinstance(v, list) else v for v in fields.values()]
    conn.execute(
        f"INSERT INTO kequ.customer (uid, {columns}, owner, seq) VALUES (%s, {marks}, %s, 0)", [uid, *values, owner]
    )


@pytest.fixture
def team(team_db, make_user) -> Iterator[Team]:
    urls = {"a": make_user("a"), "b": make_user("b"), "m": make_user("m", manager=True)}
    conns = {key: psycopg.connect(url, autocommit=True) for key, url in urls.items()}
    admin = psycopg.connect(team_db.admin_url, autocommit=True)
    a_name = conns["a"].execute("SELECT current_user").fetchone()[0]
    b_name = conns["b"].execute("SELECT current_user").fetchone()[0]
    ca, cb, pool, ia, ib = (new_uid() for _ in range(5))
    _customer(admin, ca, "王总", a_name)
    _customer(admin, cb, "李姐", b_name)
    _customer(admin, pool, "赵工", None)
    admin.execute(INTERACTION, (ia, ca, "A 的电话"))
    admin.execute(INTERACTION, (ib, cb, "B 的电话"))
    yield Team(conns["a"], conns["b"], conns["m"], admin, a_name, b_name, ca, cb, pool, ia, ib)
    for conn in [*conns.values(), admin]:
        conn.close()


def _uids(conn: Any, table: str) -> set[str]:
    return {str(uid) for (uid,) in conn.execute(f"SELECT uid FROM kequ.{table}")}


def test_a_salesperson_sees_their_own_customers_and_the_pool_and_a_manager_sees_the_team(team: Team) -> None:
    assert _uids(team.a, "customer") == {team.ca, team.pool}
    assert _uids(team.b, "customer") == {team.cb, team.pool}
    assert _uids(team.m, "customer") == {team.ca, team.cb, team.pool}
    assert _uids(team.a, "interaction") == {team.ia}
    assert _uids(team.b, "interaction") == {team.ib}
    assert _uids(team.m, "interaction") == {team.ia, team.ib}


def test_a_cannot_change_b_customer_nor_its_contacts(team: Team) -> None:
    changed = team.a.execute("UPDATE kequ.customer SET name = '改了' WHERE uid = %s", (team.cb,))
    assert changed.rowcount == 0
    changed = team.a.execute("UPDATE kequ.interaction SET seq = 0 WHERE uid = %s", (team.ib,))
    assert changed.rowcount == 0
    assert team.admin.execute("SELECT name FROM kequ.customer WHERE uid = %s", (team.cb,)).fetchone()[0] == "李姐"
    # Her own customer she may change.
    assert team.a.execute("UPDATE kequ.customer SET city = '苏州' WHERE uid = %s", (team.ca,)).rowcount == 1


def test_a_child_row_under_b_customer_is_refused_for_a(team: Team) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        team.a.execute(INTERACTION, (new_uid(), team.cb, "偷偷记一笔"))
    # Under her own customer it goes in, and the trigger stamps who wrote it.
    uid = new_uid()
    team.a.execute(INTERACTION, (uid, team.ca, "回访"))
    seq, by = team.a.execute("SELECT seq, changed_by FROM kequ.interaction WHERE uid = %s", (uid,)).fetchone()
    assert seq > 0
    assert by == team.a_name


def test_nobody_deletes_rows_only_tombstones_them(team: Team) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        team.a.execute("DELETE FROM kequ.customer WHERE uid = %s", (team.ca,))


def test_contacts_are_only_appended_even_by_their_owner(team: Team) -> None:
    with pytest.raises(psycopg.errors.CheckViolation, match="only appended"):
        team.a.execute("UPDATE kequ.interaction SET notes = '改写' WHERE uid = %s", (team.ia,))


def test_a_contact_is_deleted_only_with_its_customer_and_never_brought_back(team: Team) -> None:
    with pytest.raises(psycopg.errors.CheckViolation, match="only appended"):
        team.a.execute("UPDATE kequ.interaction SET deleted = true WHERE uid = %s", (team.ia,))
    # Her customer deleted, what is under it goes too ...
    team.a.execute("UPDATE kequ.customer SET deleted = true WHERE uid = %s", (team.ca,))
    assert team.a.execute("UPDATE kequ.interaction SET deleted = true WHERE uid = %s", (team.ia,)).rowcount == 1
    # ... and no one but an admin takes the tombstone off again.
    with pytest.raises(psycopg.errors.CheckViolation, match="only appended"):
        team.a.execute("UPDATE kequ.interaction SET deleted = false WHERE uid = %s", (team.ia,))
    assert team.admin.execute("UPDATE kequ.interaction SET deleted = false WHERE uid = %s", (team.ia,)).rowcount == 1


def test_a_pool_customer_is_claimed_by_setting_oneself_as_owner_and_then_leaves_the_pool(team: Team) -> None:
    # Changing it without claiming it is refused.
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        team.b.execute("UPDATE kequ.customer SET city = '无锡' WHERE uid = %s", (team.pool,))
    claimed = team.a.execute("UPDATE kequ.customer SET owner = current_user WHERE uid = %s", (team.pool,))
    assert claimed.rowcount == 1
    owner = team.admin.execute("SELECT owner FROM kequ.customer WHERE uid = %s", (team.pool,)).fetchone()[0]
    assert owner == team.a_name
    assert _uids(team.b, "customer") == {team.cb}
    assert team.pool in _uids(team.m, "customer")


def test_a_salesperson_cannot_give_a_customer_away(team: Team) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        team.a.execute("UPDATE kequ.customer SET owner = %s WHERE uid = %s", (team.b_name, team.ca))
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        team.m.execute("UPDATE kequ.customer SET owner = current_user WHERE uid = %s", (team.cb,))


def test_a_manager_may_change_a_team_customer_but_not_see_personal_rows(team: Team) -> None:
    assert team.m.execute("UPDATE kequ.customer SET city = '杭州' WHERE uid = %s", (team.cb,)).rowcount == 1
    team.a.execute("INSERT INTO kequ.setting (uid, key, value, seq) VALUES (%s, 'lang', '\"en\"', 0)", (new_uid(),))
    assert len(_uids(team.a, "setting")) == 1
    assert _uids(team.b, "setting") == set()
    assert _uids(team.m, "setting") == set()


def test_a_setting_cannot_be_written_in_someone_else_s_name(team: Team) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        team.a.execute(
            "INSERT INTO kequ.setting (uid, key, value, owner, seq) VALUES (%s, 'lang', '\"en\"', %s, 0)",
            (new_uid(), team.b_name),
        )


def test_the_ownership_history_is_read_by_its_owner_and_the_manager(team: Team) -> None:
    # Written by the trigger as each customer was added (the pool's too).
    assert team.a.execute("SELECT customer_uid::text FROM kequ.ownership").fetchall() == [(team.ca,)]
    assert team.b.execute("SELECT customer_uid::text FROM kequ.ownership").fetchall() == [(team.cb,)]
    assert team.m.execute("SELECT count(*) FROM kequ.ownership").fetchone()[0] == 3


def test_nobody_but_the_trigger_writes_the_ownership_history(team: Team) -> None:
    forged = (
        "INSERT INTO kequ.ownership (customer_uid, owner, since, \"by\") VALUES (%s, current_user, '2000-01-01', %s)"
    )
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        team.a.execute(forged, (team.cb, "kequ_admin"))
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        team.a.execute("UPDATE kequ.ownership SET owner = current_user, \"by\" = 'kequ_admin'")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        team.m.execute("UPDATE kequ.ownership SET until = now()")
    # A claim by plain SQL is recorded all the same: the pool's row closed, hers open.
    team.a.execute("UPDATE kequ.customer SET owner = current_user WHERE uid = %s", (team.pool,))
    history = team.admin.execute(
        'SELECT owner, until IS NOT NULL, "by" FROM kequ.ownership WHERE customer_uid = %s ORDER BY id', (team.pool,)
    ).fetchall()
    assert history == [(None, True, "kequ_admin"), (team.a_name, False, team.a_name)]


def test_a_login_outside_the_team_sees_nothing(team: Team, team_db) -> None:
    team.admin.execute("CREATE ROLE outsider_x LOGIN PASSWORD 'pw-outsider'")
    # Let in by hand (CONNECT on this database), but in no group role of the team.
    team.admin.execute(f"GRANT CONNECT ON DATABASE {team_db.name} TO outsider_x")
    try:
        with (
            psycopg.connect(team_db.url("outsider_x", "pw-outsider"), autocommit=True) as conn,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            conn.execute("SELECT count(*) FROM kequ.customer")
    finally:
        team.admin.execute(f"REVOKE CONNECT ON DATABASE {team_db.name} FROM outsider_x")
        team.admin.execute("DROP ROLE outsider_x")


def test_a_second_team_s_logins_cannot_connect_to_the_first_team_s_database(team_db, other_team_db) -> None:
    from kequ.errors import KequError
    from kequ.services.team import list_users
    from kequ.storage.sync.server import connect
    from tests.team.conftest import new_login

    theirs = new_login(other_team_db, "mgr_b", manager=True)
    login, password = theirs.split("//")[1].split("@")[0].split(":")
    # The manager of team B, with the right password, at team A's database: refused.
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        psycopg.connect(team_db.url(login, password)).close()
    with pytest.raises(KequError) as refused:
        connect(team_db.url(login, password))
    assert refused.value.key == "team.not_allowed"
    # Nor does team A's list of users name team B's logins; team B's own database lets it in.
    ours = new_login(team_db, "a").split("//")[1].split(":")[0]
    assert [user["name"] for user in list_users(team_db.admin_url)[0]] == [ours]
    assert [user["name"] for user in list_users(other_team_db.admin_url)[0]] == [login]
    with psycopg.connect(theirs) as conn:
        assert conn.execute("SELECT kequ.is_manager()").fetchone()[0] is True
    # A login that is no one's (made by hand, outside kequ) cannot connect either.
    admin = psycopg.connect(team_db.admin_url, autocommit=True)
    try:
        admin.execute("CREATE ROLE stray_x LOGIN PASSWORD 'pw-stray'")
        with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
            psycopg.connect(team_db.url("stray_x", "pw-stray")).close()
    finally:
        admin.execute("DROP ROLE stray_x")
        admin.close()


def test_no_function_of_the_team_follows_the_caller_s_search_path(team: Team, team_db) -> None:
    from kequ.services.team import init_team

    # A cluster upgraded from PostgreSQL 14 lets everyone create in public; init takes it back.
    team.admin.execute("GRANT CREATE ON SCHEMA public TO PUBLIC")
    init_team(team_db.admin_url)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        team.a.execute("CREATE FUNCTION public.nextval(text) RETURNS bigint LANGUAGE sql AS 'SELECT -7::bigint'")
    # Had someone put a stand-in there all the same, the stamp trigger does not call it.
    team.admin.execute("CREATE FUNCTION public.nextval(text) RETURNS bigint LANGUAGE sql AS 'SELECT -7::bigint'")
    try:
        uid = new_uid()
        team.a.execute(INTERACTION, (uid, team.ca, "回访"))
        assert team.a.execute("SELECT seq FROM kequ.interaction WHERE uid = %s", (uid,)).fetchone()[0] > 0
    finally:
        team.admin.execute("DROP FUNCTION public.nextval(text)")
    unfixed = team.admin.execute(
        "SELECT p.proname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang"
        " WHERE p.pronamespace = 'kequ'::regnamespace AND l.lanname = 'plpgsql'"
        " AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY(p.proconfig), false)"
    ).fetchall()
    assert unfixed == []


def _add(conn: Any, table: str, uid: str, **fields: object) -> None:
    row = whole(table, **fields)
    columns = ", ".join(f'"{c}"' for c in row)
    marks = ", ".join(["%s"] * len(row))
    values = [psycopg.types.json.Jsonb(v) if isinstance(v, list | dict) else v for v in row.values()]
    conn.execute(f"INSERT INTO kequ.{table} (uid, {columns}, seq) VALUES (%s, {marks}, 0)", [uid, *values])


def test_trips_cadences_and_complaint_steps_follow_their_owner(team: Team) -> None:
    refused = psycopg.errors.InsufficientPrivilege
    trip, visit, expense = new_uid(), new_uid(), new_uid()
    _add(team.a, "trip", trip, name="苏州出差")
    _add(team.a, "trip_visit", visit, trip_uid=trip, customer_uid=team.ca)
    _add(team.a, "trip_expense", expense, trip_uid=trip, amount_cents=100)
    for conn in (team.b, team.m):  # a trip is one person's: not even the manager sees it
        assert _uids(conn, "trip") | _uids(conn, "trip_visit") | _uids(conn, "trip_expense") == set()
    with pytest.raises(refused):  # on someone else's trip
        _add(team.b, "trip_expense", new_uid(), trip_uid=trip, amount_cents=1)
    with pytest.raises(refused):
        _add(team.b, "trip_visit", new_uid(), trip_uid=trip, customer_uid=team.cb)
    with pytest.raises(refused):  # her own trip, at a customer she does not see
        _add(team.a, "trip_visit", new_uid(), trip_uid=trip, customer_uid=team.cb)
    # A tier's cadence is its writer's; a customer's follows the customer.
    tier, hers = new_uid(), new_uid()
    _add(team.a, "cadence", tier, customer_uid=None, tier="A", kind="call", interval_days=7)
    _add(team.a, "cadence", hers, customer_uid=team.ca, kind="call", interval_days=14)
    assert _uids(team.a, "cadence") == {tier, hers}
    assert _uids(team.b, "cadence") == set()
    assert _uids(team.m, "cadence") == {hers}
    with pytest.raises(refused):
        _add(team.a, "cadence", new_uid(), customer_uid=team.cb, kind="call", interval_days=14)
    # A complaint step belongs to its complaint's customer, whatever the step says.
    theirs = new_uid()
    _add(team.admin, "complaint", theirs, customer_uid=team.cb, summary="发货晚了")
    with pytest.raises(refused):
        _add(team.a, "complaint_step", new_uid(), complaint_uid=theirs, customer_uid=team.ca, data={})
    assert _uids(team.a, "complaint") == set()


def test_only_the_team_may_ask_whether_a_uid_exists(team: Team) -> None:
    check = "SELECT has_function_privilege(%s, 'kequ.uid_taken(text, uuid)', 'EXECUTE')"
    assert team.admin.execute(check, (team.a_name,)).fetchone()[0] is True
    team.admin.execute("CREATE ROLE nobody_x NOLOGIN")
    try:
        assert team.admin.execute(check, ("nobody_x",)).fetchone()[0] is False
    finally:
        team.admin.execute("DROP ROLE nobody_x")
