"""The team database's schema ``kequ``, built from the laptop's SQLModel tables so the two
cannot drift, with the change sequence, its triggers and the row-level security policies.

Each synced table has the laptop's columns and types, with ``uid uuid`` as its key instead of
the integer id and ``<name>_uid uuid`` instead of each integer foreign key, plus ``seq`` (the
pull cursor, from one sequence, set by a trigger on every insert and update), ``deleted`` (a
tombstone), ``changed_by`` and ``changed_at``. ``customer`` has ``owner`` (NULL: the 公海 pool)
and ``field_times`` (for the per-field merge); the rows that belong to nobody's customer
(trip, setting, greeting_template, a tier's cadence) have an ``owner`` of their own, and
``complaint_step`` the ``customer_uid`` of its complaint (set by a trigger).

The laptop's CHECK constraints are not copied: several are written in SQLite's dialect, and
the laptop checks every row before it is ever pushed. Foreign keys are not enforced either:
a laptop may push a child before the server has its customer's row in view, and RLS decides
who may write under which customer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

SCHEMA = "kequ"
VERSION = 2
SALES = "kequ_sales"
MANAGER = "kequ_manager"
# The advisory lock behind the pull cursor (see stamp() below and server.pull).
SYNC_LOCK = 0x6B657173  # "keqs"

# Where a synced row belongs (the policies follow from it).
CUSTOMER = "customer"  # the customer row itself: owner, or the pool
UNDER_CUSTOMER = "under_customer"  # customer_uid says whose it is
OWN = "own"  # the user's own: trip, setting, greeting_template
UNDER_TRIP = "under_trip"  # trip_expense: whose trip it is on
TRIP_VISIT = "trip_visit"  # on one's own trip, at a customer one sees
CADENCE = "cadence"  # a customer's (under_customer) or a tier's (own)

SYNCED: dict[str, str] = {
    "customer": CUSTOMER,
    "important_date": UNDER_CUSTOMER,
    "touchpoint": UNDER_CUSTOMER,
    "interaction": UNDER_CUSTOMER,
    "cadence": CADENCE,
    "deal": UNDER_CUSTOMER,
    "gift": UNDER_CUSTOMER,
    "complaint": UNDER_CUSTOMER,
    "complaint_step": UNDER_CUSTOMER,
    "trip": OWN,
    "trip_visit": TRIP_VISIT,
    "trip_expense": UNDER_TRIP,
    "setting": OWN,
    "greeting_template": OWN,
}
APPEND_ONLY = frozenset({"interaction", "gift", "complaint_step"})
# The server's own bookkeeping columns, never sent by a laptop.
BOOKKEEPING = ("seq", "deleted", "changed_by", "changed_at")
SERVER_ONLY = frozenset({*BOOKKEEPING, "uid", "owner", "field_times"})


@dataclass(frozen=True)
class TableSpec:
    name: str
    kind: str
    # wire name → PostgreSQL type, in the laptop's column order (what the laptop sends).
    columns: dict[str, str]
    not_null: frozenset[str]
    # server-only columns beyond the bookkeeping ones: name → DDL.
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def owned(self) -> bool:
        return "owner" in self.extra

    @property
    def has_customer(self) -> bool:
        return "customer_uid" in self.columns or "customer_uid" in self.extra


def _pg_type(column: object) -> str:
    from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, String
    from sqlalchemy.types import TypeDecorator

    kind = column.type  # type: ignore[attr-defined]
    if isinstance(kind, TypeDecorator):  # UTCDateTime, SQLModel's AutoString: what they store
        kind = kind.impl_instance
    if column.foreign_keys:  # type: ignore[attr-defined]
        return "uuid"
    for sa_type, pg in (
        (DateTime, "timestamptz"),
        (Boolean, "boolean"),
        (Date, "date"),
        (Integer, "bigint"),
        (JSON, "jsonb"),
        (String, "text"),
    ):
        if isinstance(kind, sa_type):
            return pg
    # A new column type on the laptop must be given its server type here, not guessed.
    raise TypeError(f"no PostgreSQL type for {column!r} ({kind!r})")


def wire_name(column_name: str, is_foreign_key: bool) -> str:
    """customer_id → customer_uid: integer ids are the laptop's own."""
    if is_foreign_key and column_name.endswith("_id"):
        return column_name[: -len("_id")] + "_uid"
    return column_name


def _spec(name: str) -> TableSpec:
    from sqlmodel import SQLModel

    import kequ.storage.models  # noqa: F401 (registers the tables)

    table = SQLModel.metadata.tables[name]
    columns: dict[str, str] = {}
    not_null: set[str] = set()
    for column in table.columns:
        if column.name in ("id", "uid"):
            continue
        wire = wire_name(column.name, bool(column.foreign_keys))
        columns[wire] = _pg_type(column)
        if not column.nullable:
            not_null.add(wire)
    kind = SYNCED[name]
    extra: dict[str, str] = {}
    if kind == CUSTOMER:
        extra = {"owner": "text DEFAULT current_user", "field_times": "jsonb NOT NULL DEFAULT '{}'"}
    elif kind in (OWN, CADENCE):
        extra = {"owner": "text NOT NULL DEFAULT current_user"}
    if name == "complaint_step":
        extra = {"customer_uid": "uuid"}
    return TableSpec(name, kind, columns, frozenset(not_null), extra)


_SPECS: dict[str, TableSpec] = {}


def spec(name: str) -> TableSpec:
    """The server's shape of one synced table (KeyError for a table that is not synced)."""
    if name not in _SPECS:
        if name not in SYNCED:
            raise KeyError(name)
        _SPECS[name] = _spec(name)
    return _SPECS[name]


def _q(name: str) -> str:
    return f'"{name}"'


def table_ddl(name: str) -> Iterator[str]:
    s = spec(name)
    lines = ["uid uuid PRIMARY KEY"]
    for column, pg in s.columns.items():
        lines.append(f"{_q(column)} {pg}{' NOT NULL' if column in s.not_null else ''}")
    lines += [f"{_q(column)} {ddl}" for column, ddl in s.extra.items()]
    lines += [
        "seq bigint NOT NULL",
        "deleted boolean NOT NULL DEFAULT false",
        "changed_by text NOT NULL DEFAULT current_user",
        "changed_at timestamptz NOT NULL DEFAULT now()",
    ]
    body = ",\n    ".join(lines)
    yield f"CREATE TABLE {SCHEMA}.{name} (\n    {body}\n)"
    yield f"CREATE INDEX {name}_seq ON {SCHEMA}.{name} (seq)"
    if s.has_customer:
        yield f"CREATE INDEX {name}_customer ON {SCHEMA}.{name} (customer_uid)"
    if "trip_uid" in s.columns:
        yield f"CREATE INDEX {name}_trip ON {SCHEMA}.{name} (trip_uid)"
    if s.owned:
        yield f"CREATE INDEX {name}_owner ON {SCHEMA}.{name} (owner)"


# Functions the policies use. They run with the caller's rights (so the customer table's own
# policies apply inside them), except uid_taken, which only says whether a uid exists at all:
# a push told "not yours" must not be mistaken for a row that never was. Nothing in them is
# looked up on the caller's search_path: the plpgsql ones fix it (pg_catalog, pg_temp), the SQL
# ones (inlined into the policies, which a SET would stop) name pg_catalog and kequ outright.
_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.is_manager() RETURNS boolean
    LANGUAGE sql STABLE AS $$ SELECT pg_catalog.pg_has_role(current_user, '{MANAGER}', 'MEMBER') $$;

CREATE OR REPLACE FUNCTION {SCHEMA}.is_admin() RETURNS boolean
    LANGUAGE sql STABLE AS $$ SELECT rolsuper OR rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = current_user $$;

CREATE OR REPLACE FUNCTION {SCHEMA}.sees(customer uuid) RETURNS boolean
    LANGUAGE sql STABLE AS $$ SELECT EXISTS (SELECT 1 FROM {SCHEMA}.customer c WHERE c.uid = customer) $$;

CREATE OR REPLACE FUNCTION {SCHEMA}.writes(customer uuid) RETURNS boolean
    LANGUAGE sql STABLE AS $$
        SELECT EXISTS (
            SELECT 1 FROM {SCHEMA}.customer c
            WHERE c.uid = customer AND (c.owner = current_user OR (c.owner IS NOT NULL AND {SCHEMA}.is_manager()))
        )
    $$;

CREATE OR REPLACE FUNCTION {SCHEMA}.sees_trip(trip uuid) RETURNS boolean
    LANGUAGE sql STABLE AS $$ SELECT EXISTS (SELECT 1 FROM {SCHEMA}.trip t WHERE t.uid = trip) $$;

CREATE OR REPLACE FUNCTION {SCHEMA}.uid_taken(tbl text, id uuid) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    DECLARE found boolean;
    BEGIN
        IF tbl !~ '^[a-z_]+$' OR to_regclass('{SCHEMA}.' || tbl) IS NULL THEN
            RETURN false;
        END IF;
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM {SCHEMA}.%I WHERE uid = $1)', tbl) INTO found USING id;
        RETURN found;
    END $$;

-- Every insert and update takes the next number: the cursor a laptop pulls from. Each writer
-- (push, transfer, or plain SQL) first holds the sync lock shared until it commits, so a pull,
-- which takes it exclusively before its snapshot, never sees a seq while a lower one is still
-- on its way: the cursor skips nothing. The lock is taken once per statement, before its first
-- row is stamped (lock_writers, a statement trigger), not again for each row.
CREATE OR REPLACE FUNCTION {SCHEMA}.lock_writers() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock_shared({SYNC_LOCK});
        RETURN NULL;
    END $$;

CREATE OR REPLACE FUNCTION {SCHEMA}.stamp() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
        NEW.seq := nextval('{SCHEMA}.change_seq');
        NEW.changed_by := current_user;
        RETURN NEW;
    END $$;

-- Contacts, gifts and complaint steps are only ever added: once written, only the server's
-- bookkeeping (the seq of a transfer, the tombstone of a deleted customer) may change. The
-- tombstone only with its customer's (or by an admin), and never taken off again: someone
-- leaving cannot wipe their contacts before the handover.
CREATE OR REPLACE FUNCTION {SCHEMA}.append_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
        IF (to_jsonb(NEW) - ARRAY['seq', 'deleted', 'changed_by', 'changed_at'])
           IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['seq', 'deleted', 'changed_by', 'changed_at']) THEN
            RAISE EXCEPTION 'kequ.%: rows are only appended', TG_TABLE_NAME USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.deleted IS DISTINCT FROM OLD.deleted AND NOT coalesce({SCHEMA}.is_admin(), false)
           AND (OLD.deleted OR NOT coalesce(
                (SELECT c.deleted FROM {SCHEMA}.customer c WHERE c.uid = NEW.customer_uid), false)) THEN
            RAISE EXCEPTION 'kequ.%: rows are only appended (deleted only with their customer)', TG_TABLE_NAME
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$;

-- A customer's owner changes by a claim of a pool customer, or by an admin's transfer.
CREATE OR REPLACE FUNCTION {SCHEMA}.owner_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
        IF NEW.owner IS DISTINCT FROM OLD.owner
           AND NOT (OLD.owner IS NULL AND NEW.owner = current_user)
           AND NOT coalesce({SCHEMA}.is_admin(), false) THEN
            RAISE EXCEPTION 'kequ.customer: only a transfer changes the owner' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END $$;

-- Who owned a customer when: written here, never by a salesperson's own INSERT or UPDATE
-- (they have neither on kequ.ownership). Runs as its owner (the admin who ran init), after a
-- customer is added or its owner changes (a claim, a transfer); "by" is the writer, from
-- changed_by (current_user here is the function's owner).
CREATE OR REPLACE FUNCTION {SCHEMA}.record_owner() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            UPDATE {SCHEMA}.ownership SET until = now() WHERE customer_uid = NEW.uid AND until IS NULL;
        END IF;
        INSERT INTO {SCHEMA}.ownership (customer_uid, owner, "by") VALUES (NEW.uid, NEW.owner, NEW.changed_by);
        RETURN NULL;
    END $$;

-- The same for the customers one statement adds, all at once (their rows in a transition table).
CREATE OR REPLACE FUNCTION {SCHEMA}.record_owners() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
        INSERT INTO {SCHEMA}.ownership (customer_uid, owner, "by") SELECT uid, owner, changed_by FROM added;
        RETURN NULL;
    END $$;

-- A complaint step belongs to its complaint's customer, whatever the laptop said.
CREATE OR REPLACE FUNCTION {SCHEMA}.step_customer() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
        SELECT c.customer_uid INTO NEW.customer_uid FROM {SCHEMA}.complaint c WHERE c.uid = NEW.complaint_uid;
        RETURN NEW;
    END $$;
"""


def version_1() -> Iterator[str]:
    """The first schema: every synced table, the sequence, ownership history, triggers."""
    yield f"CREATE SEQUENCE {SCHEMA}.change_seq"
    for name in SYNCED:
        yield from table_ddl(name)
    yield f"CREATE UNIQUE INDEX setting_owner_key ON {SCHEMA}.setting (owner, key) WHERE NOT deleted"
    yield (
        f"CREATE TABLE {SCHEMA}.ownership (\n"
        "    id bigserial PRIMARY KEY,\n"
        "    customer_uid uuid NOT NULL,\n"
        "    owner text,\n"
        "    since timestamptz NOT NULL DEFAULT now(),\n"
        "    until timestamptz,\n"
        '    "by" text NOT NULL DEFAULT current_user\n'
        ")"
    )
    yield f"CREATE INDEX ownership_customer ON {SCHEMA}.ownership (customer_uid)"


# The database is the team's: only the logins ``kequ team add-user`` made here may connect (the
# group roles are the whole cluster's, so without this a second team's login could connect).
_REVOKE_DATABASE = (
    "DO $$ BEGIN EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database()); END $$"
)


def version_2() -> Iterator[str]:
    """The database closed to PUBLIC; the logins already at work here keep CONNECT and TEMPORARY; the
    setting aliases."""
    # A setting pushed under a second laptop's uid is merged into the row its key already has;
    # the alias remembers which, so a delete under that uid reaches the row.
    yield (
        f"CREATE TABLE {SCHEMA}.setting_alias (\n"
        "    uid uuid PRIMARY KEY,\n"
        "    setting_uid uuid NOT NULL,\n"
        "    owner text NOT NULL DEFAULT current_user\n"
        ")"
    )
    yield _REVOKE_DATABASE
    wrote = " UNION ".join(f"SELECT changed_by FROM {SCHEMA}.{name}" for name in SYNCED)
    yield f"""
DO $$
DECLARE login name;
BEGIN
    FOR login IN
        SELECT r.rolname FROM pg_catalog.pg_roles r
        WHERE r.rolcanlogin AND pg_catalog.pg_has_role(r.oid, '{SALES}', 'MEMBER')
          AND r.rolname::text IN ({wrote} UNION SELECT owner FROM {SCHEMA}.ownership WHERE owner IS NOT NULL)
    LOOP
        EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), login);
    END LOOP;
END $$"""


# Each version's steps, from an empty schema; `kequ team init` runs those not yet applied.
MIGRATIONS = {1: version_1, 2: version_2}


def _trigger(name: str, when: str, table: str, function: str) -> str:
    return (
        f"CREATE OR REPLACE TRIGGER {name} BEFORE {when} ON {SCHEMA}.{table} "
        f"FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.{function}()"
    )


def functions_and_triggers() -> Iterator[str]:
    """Replaced on every init: the newest definitions win."""
    yield _FUNCTIONS
    for name in SYNCED:
        yield (
            f"CREATE OR REPLACE TRIGGER stamp_lock BEFORE INSERT OR UPDATE ON {SCHEMA}.{name} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.lock_writers()"
        )
        yield _trigger("stamp", "INSERT OR UPDATE", name, "stamp")
    for name in sorted(APPEND_ONLY):
        yield _trigger("append_only", "UPDATE", name, "append_only")
    yield _trigger("owner_guard", "UPDATE", "customer", "owner_guard")
    # Replaced by the statement trigger below (a team initialised before had the row one).
    yield f"DROP TRIGGER IF EXISTS owner_history_new ON {SCHEMA}.customer"
    yield (
        f"CREATE OR REPLACE TRIGGER owner_history_added AFTER INSERT ON {SCHEMA}.customer "
        f"REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.record_owners()"
    )
    yield (
        f"CREATE OR REPLACE TRIGGER owner_history AFTER UPDATE OF owner ON {SCHEMA}.customer "
        f"FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION {SCHEMA}.record_owner()"
    )
    yield _trigger("step_customer", "INSERT OR UPDATE", "complaint_step", "step_customer")


def _sees(name: str, column: str, parent: str = "customer") -> str:
    """The row's customer (or trip) is in view: the subquery reads it under its own policies.
    Written out rather than a call of kequ.sees(): the planner runs it as an index lookup (or
    one hashed pass for a whole pull) instead of a function call per row."""
    return f"EXISTS (SELECT 1 FROM {SCHEMA}.{parent} p WHERE p.uid = {name}.{column})"


def _writes(name: str) -> str:
    """The row's customer is one the user may write (kequ.writes(), written out)."""
    return (
        f"EXISTS (SELECT 1 FROM {SCHEMA}.customer p WHERE p.uid = {name}.customer_uid"
        f" AND (p.owner = current_user OR (p.owner IS NOT NULL AND {SCHEMA}.is_manager())))"
    )


def _rules(name: str) -> tuple[str, str]:
    """(who may see a row, who may write it) for one synced table."""
    kind = SYNCED[name]
    mine = "owner = current_user"
    if kind == CUSTOMER:
        return (
            f"{mine} OR owner IS NULL OR {SCHEMA}.is_manager()",
            f"{mine} OR (owner IS NOT NULL AND {SCHEMA}.is_manager())",
        )
    if kind == UNDER_CUSTOMER:
        return _sees(name, "customer_uid"), _writes(name)
    if kind == CADENCE:
        return (
            f"CASE WHEN customer_uid IS NULL THEN {mine} ELSE {_sees(name, 'customer_uid')} END",
            f"CASE WHEN customer_uid IS NULL THEN {mine} ELSE {_writes(name)} END",
        )
    if kind == OWN:
        return mine, mine
    trip = _sees(name, "trip_uid", "trip")
    if kind == UNDER_TRIP:
        return trip, trip
    # A visit is on one's own trip at a customer one sees: transferred away, the customer takes
    # the visit out of sight too (its write-up went onto the customer's timeline, an interaction,
    # which the new owner gets with the rest of the history).
    visit = f"{trip} AND {_sees(name, 'customer_uid')}"
    return visit, visit


def policies() -> Iterator[str]:
    """Row-level security, enabled and forced on every table; nothing is allowed that a policy
    here does not allow (no DELETE at all: deletions are tombstones)."""
    tables = [*SYNCED, "ownership", "version", "setting_alias"]
    for name in tables:
        yield f"ALTER TABLE {SCHEMA}.{name} ENABLE ROW LEVEL SECURITY"
        yield f"ALTER TABLE {SCHEMA}.{name} FORCE ROW LEVEL SECURITY"
        for action in ("read", "add", "change"):
            yield f"DROP POLICY IF EXISTS {action} ON {SCHEMA}.{name}"
    for name in SYNCED:
        read, write = _rules(name)
        yield f"CREATE POLICY read ON {SCHEMA}.{name} FOR SELECT USING ({read})"
        yield f"CREATE POLICY add ON {SCHEMA}.{name} FOR INSERT WITH CHECK ({write})"
        if name == "customer":  # a pool customer is changed by claiming it
            yield f"CREATE POLICY change ON {SCHEMA}.{name} FOR UPDATE USING ({read}) WITH CHECK ({write})"
        else:
            yield f"CREATE POLICY change ON {SCHEMA}.{name} FOR UPDATE USING ({write}) WITH CHECK ({write})"
    # Read only: the history is written by the record_owner trigger alone.
    history = f"{SCHEMA}.ownership"
    yield f"CREATE POLICY read ON {history} FOR SELECT USING (owner = current_user OR {SCHEMA}.is_manager())"
    yield f"CREATE POLICY read ON {SCHEMA}.version FOR SELECT USING (true)"
    for action, clause in (("read", "FOR SELECT USING"), ("add", "FOR INSERT WITH CHECK")):
        yield f"CREATE POLICY {action} ON {SCHEMA}.setting_alias {clause} (owner = current_user)"


def grants() -> Iterator[str]:
    # Again on every init: a database copied from a template or restored without its ACL
    # (CREATE DATABASE … TEMPLATE, pg_restore without --create) is open to PUBLIC once more.
    yield _REVOKE_DATABASE
    yield f"REVOKE ALL ON SCHEMA {SCHEMA} FROM PUBLIC"
    # A cluster upgraded from PostgreSQL 14 or older still lets everyone create in public: a
    # function there could stand in for a built-in one that a trigger calls.
    yield "REVOKE CREATE ON SCHEMA public FROM PUBLIC"
    yield f"GRANT USAGE ON SCHEMA {SCHEMA} TO {SALES}"
    tables = ", ".join(f"{SCHEMA}.{name}" for name in SYNCED)
    yield f"GRANT SELECT, INSERT, UPDATE ON {tables} TO {SALES}"
    yield f"GRANT SELECT ON {SCHEMA}.version, {SCHEMA}.ownership TO {SALES}"
    yield f"GRANT SELECT, INSERT ON {SCHEMA}.setting_alias TO {SALES}"
    # A team initialised before schema version 2 had granted these: taken back.
    yield f"REVOKE INSERT, UPDATE ON {SCHEMA}.ownership FROM {SALES}"
    yield f"REVOKE ALL ON SEQUENCE {SCHEMA}.ownership_id_seq FROM {SALES}"
    yield f"GRANT USAGE ON SEQUENCE {SCHEMA}.change_seq TO {SALES}"
    yield f"REVOKE ALL ON FUNCTION {SCHEMA}.uid_taken(text, uuid) FROM PUBLIC"
    yield f"GRANT EXECUTE ON FUNCTION {SCHEMA}.uid_taken(text, uuid) TO {SALES}"
