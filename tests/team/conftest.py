"""A private PostgreSQL for the team tests: started once per test process (each pytest-xdist
worker has its own), in a temporary folder, on a unix socket only, by a user that is not root
(PostgreSQL refuses to run as root; CI runs as root, so a system user ``kequpg`` is made).

``pg_server`` gives the server, ``team_db`` a fresh database with ``kequ team init`` done,
``make_user`` a login role of that team (role names are the cluster's, so each is unique).
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

PG_USER = "kequpg"
ADMIN = "kequ_admin"


def _pg_bin(name: str) -> str | None:
    """A PostgreSQL program: on the PATH, else Debian's versioned folder (the newest)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return candidates[-1] if candidates else None


def _server_user() -> str | None:
    """The system user to run the server as: None when the tests do not run as root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        # Two workers may both try: the second one's "already exists" is fine.
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER],
            capture_output=True,
            check=False,
        )
        pwd.getpwnam(PG_USER)  # raises if it still does not exist
    return PG_USER


@dataclass(frozen=True)
class PgServer:
    socket_dir: Path
    password: str
    port: int = 5432

    def url(self, user: str = ADMIN, password: str | None = None, dbname: str = "postgres") -> str:
        secret = self.password if password is None else password
        return f"postgresql://{quote(user)}:{quote(secret, safe='')}@/{dbname}?host={self.socket_dir}&port={self.port}"

    @property
    def admin_url(self) -> str:
        return self.url()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        pytest.skip("no PostgreSQL programs (initdb, pg_ctl): apt-get install postgresql, as .ci/run does")
    user = _server_user()
    base = Path(tempfile.mkdtemp(prefix="kequ-pg-"))
    password = secrets.token_urlsafe(16)
    (base / "pwfile").write_text(password + "\n", encoding="utf-8")
    if user is not None:
        entry = pwd.getpwnam(user)
        base.chmod(0o755)  # the socket is reached by the tests' own (root) process
        os.chown(base, entry.pw_uid, entry.pw_gid)
        os.chown(base / "pwfile", entry.pw_uid, entry.pw_gid)
    data = base / "data"
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    subprocess.run(
        [initdb, "-D", str(data), "-U", ADMIN, f"--pwfile={base / 'pwfile'}", "--auth=scram-sha-256", "-E", "UTF8"],
        check=True,
        capture_output=True,
        user=user,
        env=env,
        cwd=base,
    )
    options = f"-c listen_addresses='' -c unix_socket_directories='{base}' -c fsync=off -c full_page_writes=off"
    subprocess.run(
        [pg_ctl, "start", "-w", "-D", str(data), "-l", str(base / "log"), "-o", options],
        check=True,
        capture_output=True,
        user=user,
        env=env,
        cwd=base,
    )
    try:
        yield PgServer(base, password)
    finally:
        subprocess.run(
            [pg_ctl, "stop", "-m", "immediate", "-D", str(data)], capture_output=True, user=user, env=env, cwd=base
        )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def admin_url(pg_server: PgServer) -> str:
    return pg_server.admin_url


@dataclass(frozen=True)
class TeamDb:
    server: PgServer
    name: str

    @property
    def admin_url(self) -> str:
        return self.server.url(dbname=self.name)

    def url(self, user: str, password: str) -> str:
        return self.server.url(user, password, self.name)


@pytest.fixture(scope="session")
def team_template(pg_server: PgServer) -> str:
    """A database with ``kequ team init`` done (the same code), copied for each test."""
    import psycopg

    from kequ.services.team import init_team

    name = "kequ_template"
    with psycopg.connect(pg_server.admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    init_team(pg_server.url(dbname=name))
    return name


def _new_team(pg_server: PgServer, template: str) -> TeamDb:
    """A copy of the template, then ``kequ team init`` again: a copy does not keep its
    database's ACL (CONNECT revoked from PUBLIC), and init puts it back, as for a restore."""
    import psycopg

    from kequ.services.team import init_team

    name = "t_" + secrets.token_hex(6)
    with psycopg.connect(pg_server.admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    db = TeamDb(pg_server, name)
    init_team(db.admin_url)
    return db


def _drop(pg_server: PgServer, db: TeamDb) -> None:
    import psycopg

    with psycopg.connect(pg_server.admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {db.name} WITH (FORCE)")


@pytest.fixture
def team_db(pg_server: PgServer, team_template: str) -> Iterator[TeamDb]:
    """A new database of the private server with ``kequ team init`` done."""
    db = _new_team(pg_server, team_template)
    yield db
    _drop(pg_server, db)


@pytest.fixture
def other_team_db(pg_server: PgServer, team_template: str) -> Iterator[TeamDb]:
    """A second team's database on the same server."""
    db = _new_team(pg_server, team_template)
    yield db
    _drop(pg_server, db)


def new_login(db: TeamDb, stem: str, manager: bool = False) -> str:
    """A new login of ``db``'s team (role names are the cluster's: each is unique): its URL."""
    from kequ.services.team import add_user

    name = f"{stem}_{secrets.token_hex(3)}"
    password = "pw-" + secrets.token_hex(4)
    add_user(db.admin_url, name, password, manager=manager)
    return db.url(name, password)


@pytest.fixture
def make_user(team_db: TeamDb) -> Callable[..., str]:
    """``make_user("a")`` → the URL of a new salesperson (``manager=True``: a manager)."""

    def make(stem: str, manager: bool = False) -> str:
        return new_login(team_db, stem, manager)

    return make
