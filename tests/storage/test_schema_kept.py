"""The shape kequ's migrations build is kept like bytecode: the same answer as building it, for
this SQLite and these steps only, never fatal, never written where Python writes no bytecode."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kequ.storage import schema_check
from kequ.storage.database import SCHEMA_VERSION, migrations


@pytest.fixture
def prefix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "pyc"
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", str(folder))
    schema_check._expected.cache_clear()
    yield folder
    schema_check._expected.cache_clear()


def built(steps: list[tuple[int, str]], version: int) -> schema_check.Shape:
    """The shape as the check worked it out before it was kept: the steps run in memory."""
    import sqlite3

    conn = sqlite3.connect(":memory:")
    for number, sql in steps:
        if number <= version:
            conn.executescript(sql)
    return schema_check.shape(conn)


def fresh(steps: list[tuple[int, str]], version: int) -> schema_check.Shape:
    schema_check._expected.cache_clear()
    return schema_check.expected_shape(steps, version)


def kept(prefix: Path, version: int) -> list[Path]:
    return list(prefix.rglob(f"schema{version}.*.marshal"))


def test_the_kept_shape_is_the_built_one_and_spares_the_build(prefix: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    steps = migrations()
    first = fresh(steps, SCHEMA_VERSION)
    assert first == built(steps, SCHEMA_VERSION)
    assert len(kept(prefix, SCHEMA_VERSION)) == 1

    def no_building(conn: object) -> schema_check.Shape:
        raise AssertionError("built again although the steps did not change")

    monkeypatch.setattr(schema_check, "shape", no_building)
    assert fresh(steps, SCHEMA_VERSION) == first


def test_each_version_is_kept_apart(prefix: Path) -> None:
    steps = migrations()
    older = fresh(steps, 3)
    newest = fresh(steps, SCHEMA_VERSION)
    assert older != newest
    assert fresh(steps, 3) == older == built(steps, 3)
    assert len(kept(prefix, 3)) == 1 and len(kept(prefix, SCHEMA_VERSION)) == 1


def test_an_edited_step_is_built_again_and_replaces_what_was_kept(prefix: Path) -> None:
    steps = migrations()
    fresh(steps, SCHEMA_VERSION)
    edited = [*steps[:-1], (SCHEMA_VERSION, steps[-1][1] + "\nCREATE TABLE added_later (id INTEGER);\n")]
    shape = fresh(edited, SCHEMA_VERSION)
    assert ("table", "added_later") in shape and shape == built(edited, SCHEMA_VERSION)
    assert len(kept(prefix, SCHEMA_VERSION)) == 1
    assert ("table", "added_later") not in fresh(steps, SCHEMA_VERSION)


def test_another_sqlite_does_not_read_this_ones_shape(prefix: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    steps = migrations()
    fresh(steps, SCHEMA_VERSION)
    (this_one,) = kept(prefix, SCHEMA_VERSION)
    monkeypatch.setattr(schema_check.sqlite3, "sqlite_version", "9.99.0")
    fresh(steps, SCHEMA_VERSION)
    assert kept(prefix, SCHEMA_VERSION) != [this_one]


def test_a_damaged_file_is_built_again_and_replaced(prefix: Path) -> None:
    steps = migrations()
    fresh(steps, SCHEMA_VERSION)
    (path,) = kept(prefix, SCHEMA_VERSION)
    path.write_bytes(b"\x00garbage")
    assert fresh(steps, SCHEMA_VERSION) == built(steps, SCHEMA_VERSION)
    assert path.read_bytes() != b"\x00garbage"


def test_nothing_is_written_where_python_may_not_write_bytecode(prefix: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    steps = migrations()
    assert fresh(steps, SCHEMA_VERSION) == built(steps, SCHEMA_VERSION)
    assert not prefix.exists()


def test_a_file_that_cannot_be_swapped_in_leaves_nothing_behind(prefix: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows refuses to replace a file another process has open: the half written is removed."""

    def refused(self: Path, target: Path) -> Path:
        raise PermissionError(13, "in use", str(target))

    monkeypatch.setattr(Path, "replace", refused)
    steps = migrations()
    assert fresh(steps, SCHEMA_VERSION) == built(steps, SCHEMA_VERSION)
    assert prefix.exists() and not [p for p in prefix.rglob("*") if p.is_file()]
