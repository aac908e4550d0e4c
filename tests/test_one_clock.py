"""One clock: nothing in kequ reads the wall clock but ``kequ.storage.clock``.

A test suite that depends on the day it runs breaks on some later day, always at the worst
time; a service that stamps the real day while a screen shows a fixed one makes a new
customer vanish from that screen. Both come from reading the wall clock in many places.
"""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kequ.errors import KequError
from kequ.storage import clock
from tests.conftest import DEMO_TODAY

SOURCE = Path(__file__).resolve().parents[1] / "src" / "kequ"
# (object, attribute) calls that read the wall clock.
WALL_CLOCK = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
}


def wall_clock_reads(path: Path, root: Path = SOURCE) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
            if (name, node.func.attr) in WALL_CLOCK:
                found.append(f"{path.relative_to(root)}:{node.lineno} {name}.{node.func.attr}()")
    return found


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    modules = [p for p in SOURCE.rglob("*.py") if p.name != "clock.py"]
    assert len(modules) > 50
    reads = [read for path in modules for read in wall_clock_reads(path)]
    assert reads == []


def test_the_check_would_see_a_wall_clock_read(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text(
        "from datetime import date, datetime\nx = date.today()\ny = datetime.now(UTC)\n", encoding="utf-8"
    )
    assert wall_clock_reads(sneaky, tmp_path) == ["sneaky.py:2 date.today()", "sneaky.py:3 datetime.now()"]


def test_the_suite_runs_on_the_demo_day_whatever_the_real_date() -> None:
    assert clock.today() == date.today() == DEMO_TODAY
    assert clock.local_now().hour == 9


@pytest.mark.frozen_at("2028-02-29T23:59:30")
def test_a_test_can_ask_for_another_day() -> None:
    assert clock.today() == date(2028, 2, 29)


def test_a_pinned_day_is_what_every_layer_sees(frozen_time) -> None:
    clock.pin(date(2027, 2, 5))
    assert clock.today() == date(2027, 2, 5)
    stamped = clock.now()
    assert stamped.tzinfo is UTC
    # The stamp falls on the pinned day in the user's own zone, at the running time of day.
    assert stamped.astimezone().date() == date(2027, 2, 5)
    assert clock.local_now().hour == 9
    frozen_time.shift(timedelta(seconds=5))
    assert clock.now() > stamped
    clock.pin(None)
    assert clock.today() == DEMO_TODAY


def test_pinned_restores_the_day_before(monkeypatch: pytest.MonkeyPatch) -> None:
    with clock.pinned(date(2030, 1, 1)):
        assert clock.today() == date(2030, 1, 1)
    assert clock.today() == DEMO_TODAY


def test_the_environment_fixes_the_day_for_a_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV_VAR, "2027-01-29")
    assert clock.today() == date(2027, 1, 29)
    assert clock.now().astimezone().date() == date(2027, 1, 29)
    # A day pinned by the program (a command's --date) is stronger than the environment.
    with clock.pinned(date(2027, 3, 1)):
        assert clock.today() == date(2027, 3, 1)


@pytest.mark.parametrize("text", ["2027-02-30", "tomorrow", "2027/02/05"])
def test_a_bad_day_in_the_environment_is_explained(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv(clock.ENV_VAR, text)
    with pytest.raises(KequError) as refused:
        clock.today()
    assert "KEQU_TODAY" in refused.value.message() and text in refused.value.message()


def test_an_empty_environment_value_means_the_real_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV_VAR, "  ")
    assert clock.today() == DEMO_TODAY


@pytest.mark.frozen_at("2026-12-31T23:59:59")
def test_the_year_end_is_crossed_by_the_running_clock(frozen_time) -> None:
    assert clock.today() == date(2026, 12, 31)
    frozen_time.move_to(datetime(2027, 1, 1, 0, 0, 1).astimezone())
    assert clock.today() == date(2027, 1, 1)


def test_no_test_module_reads_the_clock_when_it_is_imported() -> None:
    """A module-level ``TODAY = date.today()`` runs at collection, before the clock is frozen."""
    tests = Path(__file__).resolve().parent
    found = []
    for path in tests.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for statement in tree.body:
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            module = ast.Module(body=[statement], type_ignores=[])
            found += [
                f"{path.relative_to(tests)}:{node.lineno}"
                for node in ast.walk(module)
                if isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and (node.func.value.id, node.func.attr) in WALL_CLOCK
            ]
    assert found == []
