"""The parsed catalogue is kept like bytecode: reused when unchanged, never stale, never fatal."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kequ import i18n


@pytest.fixture
def locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "locale"
    folder.mkdir()
    (folder / "a.toml").write_text('[greet]\nhello = { zh = "您好", en = "Hello" }\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", folder)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", None)
    i18n.catalogue.cache_clear()
    yield folder
    i18n.catalogue.cache_clear()


def fresh() -> dict[str, dict[str, str]]:
    i18n.catalogue.cache_clear()
    return i18n.catalogue()


def test_the_second_start_reads_the_cache_instead_of_the_toml(locale: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert fresh()["greet.hello"]["zh"] == "您好"
    assert len(list((locale / "__pycache__").glob("catalogue.*.marshal"))) == 1

    def no_parsing(sources: list[Path]) -> dict[str, dict[str, str]]:
        raise AssertionError("parsed again although nothing changed")

    monkeypatch.setattr(i18n, "_parse", no_parsing)
    assert fresh()["greet.hello"]["en"] == "Hello"


def test_an_edited_catalogue_is_read_again_and_the_old_cache_removed(locale: Path) -> None:
    fresh()
    (locale / "a.toml").write_text('[greet]\nhello = { zh = "您好呀", en = "Hi there" }\n', encoding="utf-8")
    assert fresh()["greet.hello"]["zh"] == "您好呀"
    assert len(list((locale / "__pycache__").glob("catalogue.*.marshal"))) == 1


def test_a_damaged_cache_is_ignored_and_replaced(locale: Path) -> None:
    fresh()
    (cached,) = (locale / "__pycache__").glob("catalogue.*.marshal")
    cached.write_bytes(b"\x00garbage")
    assert fresh()["greet.hello"]["zh"] == "您好"
    assert cached.read_bytes() != b"\x00garbage"


def test_nothing_is_written_where_python_may_not_write_bytecode(locale: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert fresh()["greet.hello"]["zh"] == "您好"
    assert not (locale / "__pycache__").exists()


def test_a_read_only_folder_only_costs_the_parse(locale: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (locale / "__pycache__").write_text("a file where the folder would go")  # mkdir fails
    assert fresh()["greet.hello"]["en"] == "Hello"


def test_the_cache_follows_pycache_prefix(locale: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prefix = tmp_path / "pyc"
    monkeypatch.setattr(sys, "pycache_prefix", str(prefix))
    fresh()
    assert not (locale / "__pycache__").exists()
    assert len(list(prefix.rglob("catalogue.*.marshal"))) == 1


def test_the_real_catalogue_is_the_same_cached_or_parsed() -> None:
    sources = sorted(i18n.LOCALE_DIR.glob("*.toml"))
    assert i18n.catalogue() == i18n._parse(sources)
