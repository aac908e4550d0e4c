"""`kequ search` as a process does the search and little else: what it leaves unimported."""

from __future__ import annotations

# Taken off its path: the other nine records of kequ.domain.records (10 ms of dataclasses),
# the key derivation of an encrypted book (hashlib), and what never belonged there.
NOT_LOADED = {"kequ.domain.records", "hashlib", "sqlalchemy", "sqlmodel", "pypinyin", "textual"}


def loaded_by(result) -> set[str]:  # type: ignore[no-untyped-def]
    """The modules the process imported, from Python's own import trace on stderr."""
    return {line.rpartition("|")[2].strip() for line in result.err.splitlines() if line.startswith("import time:")}


def test_kequ_search_loads_none_of_what_it_does_not_need(kequ) -> None:
    wang = int(kequ("add", "王建国", "--honorific", "王总", "--company", "示例公司").out)
    kequ("add", "李娜")
    # The first read after a write fills the search rows the write left stale (through the
    # ORM, kequ.services.customer_list._fresh): a search like the bench's comes after that.
    assert "王总" in kequ("search", "wz").out
    trace = {"PYTHONPROFILEIMPORTTIME": "1"}

    table = kequ("search", "wz", env=trace)
    assert table.code == 0 and "王总" in table.out and "李娜" not in table.out
    loaded = loaded_by(table)
    assert {"kequ.services.customer_list", "kequ.domain.customer_row", "rich.table"} <= loaded  # the trace was read
    assert loaded & NOT_LOADED == set()

    as_json = kequ("search", "王总", "--json", env=trace)
    assert [row["id"] for row in as_json.json()] == [wang]  # type: ignore[union-attr]
    assert loaded_by(as_json) & NOT_LOADED == set()


def test_kequ_help_loads_none_of_them_either(kequ) -> None:
    shown = kequ("--help", db=None, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert shown.code == 0 and "search" in shown.out
    assert loaded_by(shown) & (NOT_LOADED | {"kequ.storage.database", "rich.console"}) == set()
