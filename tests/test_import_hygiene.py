"""What is imported where: the domain stays pure, and the first frame waits for no heavy library.

Each check runs in a fresh interpreter with an import watcher installed first, which
records for every watched library whether it came before or after the first frame and
the chain of kequ lines that pulled it in, so a failure names the import to move.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.test_project import PURE_MODULES

# The ORM and what it stands on; pypinyin, which only search and saving need.
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "pypinyin")
UI_AND_DATABASE = ("textual", "sqlalchemy", "sqlmodel", "pydantic")

WATCH = """
import json, sys, traceback
WATCHED = set(sys.argv[1].split(","))
first_frame = []
found = {}

class Watch:
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in WATCHED and top not in found:
            chain = [
                f"{frame.filename.rpartition('/kequ/')[2] or frame.filename}:{frame.lineno} {frame.line}"
                for frame in traceback.extract_stack()[:-1]
                if "/kequ/" in frame.filename
            ]
            found[top] = {"after_first_frame": bool(first_frame), "chain": chain}
        return None

sys.meta_path.insert(0, Watch())

def report():
    print("WATCH " + json.dumps({"first_frame": bool(first_frame), "found": found}), flush=True)
"""

# The real command line, headless, until the first frame (Textual posts Ready right after
# drawing it) or, with "loaded", until the Today screen's reading workers are done.
APP = (
    WATCH
    + """
import asyncio
from textual import events

made = events.Ready.__init__
def first(self, *args, **kwargs):
    first_frame.append(True)
    made(self, *args, **kwargs)
events.Ready.__init__ = first

from kequ.ui.app import KequApp
from kequ.cli.main import main

until = sys.argv[3]
ready = KequApp.on_ready

async def settle(app):
    await asyncio.sleep(0.05)  # let the Today screen start its worker
    while any(w.group == "agenda" and not w.is_finished for w in app.workers):
        await asyncio.sleep(0.01)
    report()
    app.exit()

def on_ready(self):
    ready(self)
    if until == "frame":
        report()
        self.exit()
    else:
        asyncio.get_running_loop().create_task(settle(self))

KequApp.on_ready = on_ready
run = KequApp.run
KequApp.run = lambda self, *args, **kwargs: run(self, headless=True)
main(["--db", sys.argv[2]])
"""
)


def watched(code: str, names: tuple[str, ...], *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code, ",".join(names), *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("WATCH "))
    return json.loads(line.removeprefix("WATCH "))


def chains(found: dict, names: list[str]) -> str:
    return "\n".join(f"{name}:\n    " + "\n    ".join(found[name]["chain"]) for name in names)


@pytest.mark.parametrize("module", PURE_MODULES)
def test_domain_modules_import_neither_textual_nor_the_orm(module: str) -> None:
    got = watched(WATCH + f"\nimport {module}\nreport()", UI_AND_DATABASE)
    assert not got["found"], chains(got["found"], list(got["found"]))


def test_the_first_frame_waits_for_neither_the_orm_nor_pypinyin(demo_db) -> None:
    """Up to the first frame of ``kequ`` on a filled book: no SQLAlchemy, SQLModel, pydantic, pypinyin."""
    got = watched(APP, HEAVY, str(demo_db.path), "frame")
    assert got["first_frame"], "the app never drew its first frame"
    early = [name for name, seen in got["found"].items() if not seen["after_first_frame"]]
    assert not early, chains(got["found"], early)


def test_the_today_screen_fills_without_the_orm(demo_db) -> None:
    """After the first frame Today reads the agenda and the day's visits: plain SQL, no ORM (~25 MB)."""
    got = watched(APP, ("sqlalchemy", "sqlmodel", "pydantic"), str(demo_db.path), "loaded")
    assert not got["found"], chains(got["found"], list(got["found"]))
