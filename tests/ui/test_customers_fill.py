"""The Customers list fills the rows in view first and the rest of the page as the user moves
down it; the count is the search's; a keystroke overtaken by the next one is never drawn."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.pilot import Pilot
from textual.widgets import Input, Static

from kequ.domain.records import NewCustomer
from kequ.services.customer_list import Searcher, find_ids, find_page
from kequ.services.customers import add_customer
from kequ.ui.app import KequApp
from kequ.ui.screens.customers.customers import HEALTH, PAGE, CustomersScreen
from kequ.ui.widgets.fast_table import FastTable
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import settle

SURNAMES = "张章"  # both zhang: one search finds them all, ranked by the written name
GIVEN = "伟敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def _book(db) -> None:
    """130 customers called zhang, more than a page of the list."""
    for i in range(130):
        name = SURNAMES[i % 2] + GIVEN[i % len(GIVEN)] + GIVEN[(i // len(GIVEN)) % len(GIVEN)]
        add_customer(db, NewCustomer(name=name, tier=("key", "regular", "potential")[i % 3], city="苏州"))


def _keys(table: FastTable) -> list[int]:
    return [int(table.coordinate_to_cell_key((i, 0))[0].value) for i in range(table.row_count)]


async def _typed(pilot, text: str) -> CustomersScreen:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CustomersScreen)
    await pilot.press(*text)
    await settle(pilot)
    return screen


@asynccontextmanager
async def _on_customers(db, typed: str = "") -> AsyncIterator[tuple[Pilot[None], CustomersScreen]]:  # type: ignore[no-untyped-def]
    """The 130 zhang of ``_book`` and Customers open with ``typed`` in the search: yields (pilot, screen)."""
    _book(db)
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        yield pilot, await _typed(pilot, typed)


async def test_moving_down_past_the_first_rows_shows_every_match_in_order(db) -> None:
    _book(db)
    wanted = find_ids(db, "zhang", limit=PAGE)
    assert len(wanted) == PAGE
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await _typed(pilot, "zhang")
        table = screen.query_one("#customers", FastTable)
        first = table.row_count
        assert 0 < first < PAGE and table.pending == PAGE - first  # only the rows in view, and a margin
        assert _keys(table) == wanted[:first]
        await pilot.press("escape")  # from the search box to the list
        for _ in range(first):
            await pilot.press("down")
        await settle(pilot)
        assert _keys(table) == wanted  # the whole page, in the search's order
        assert table.cursor_row == first
        # The rows filled later have their health scores too, not the "…" of one still read.
        scores = [str(table.get_cell(str(cid), HEALTH)) for cid in wanted]
        assert all(score.isdigit() for score in scores), scores


async def test_the_count_shown_is_every_match_not_the_rows_filled(db) -> None:
    _book(db)
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await _typed(pilot, "zhang")
        summary = str(screen.query_one("#customers-summary", Static).render())
        assert "找到 130 位 / 共 130 位" in summary and "第 1/2 页" in summary
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", *"章")
        await settle(pilot)
        found = find_page(db, "章", None, None, 0, PAGE)[1]
        assert found == 65
        assert f"找到 {found} 位 / 共 130 位" in str(screen.query_one("#customers-summary", Static).render())


async def test_a_keystroke_overtaken_by_the_next_is_never_drawn(db, monkeypatch) -> None:
    drawn: list[str] = []
    show_page = CustomersScreen.show_page

    def recording(self: CustomersScreen) -> None:
        drawn.append(self.shown[0] if self.shown else "")
        show_page(self)

    monkeypatch.setattr(CustomersScreen, "show_page", recording)
    async with _on_customers(db) as (pilot, screen):
        drawn.clear()
        box = screen.query_one("#search", Input)
        box.insert_text_at_cursor("z")  # two keys before the first one's search is back
        box.insert_text_at_cursor("h")
        await settle(pilot)
        assert drawn == ["zh"]
        assert _keys(screen.query_one("#customers", FastTable))[:5] == find_ids(db, "zh", limit=5)


def test_a_search_overtaken_while_it_waited_reads_nothing(db, monkeypatch) -> None:
    _book(db)
    from kequ.services import customer_list

    read: list[str] = []
    page_in = customer_list._page_in

    def recording(conn, query, *args, **kwargs):  # type: ignore[no-untyped-def]
        read.append(query)
        return page_in(conn, query, *args, **kwargs)

    monkeypatch.setattr(customer_list, "_page_in", recording)
    searcher = Searcher(db)
    try:
        assert searcher.page("z", None, None, 0, PAGE, cancelled=lambda: True) == ([], 0, {})
        assert read == []
        ids, total, rows = searcher.page("zhang", None, None, 0, PAGE, cancelled=lambda: False)
        assert read == ["zhang"] and total == 130 and set(rows) == set(ids)
    finally:
        searcher.close()


def _held_counts(monkeypatch, only: str | None = None) -> tuple[threading.Event, list[str]]:  # type: ignore[no-untyped-def]
    """Searcher.count waits for the gate (every query's, or only ``only``'s): the gate, and the
    queries counted, in order."""
    gate = threading.Event()
    asked: list[str] = []
    count = Searcher.count

    def held(self, query, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(query)
        if only is None or query == only:
            gate.wait(10)
        return count(self, query, *args, **kwargs)

    monkeypatch.setattr(Searcher, "count", held)
    return gate, asked


async def _until(pilot, ready) -> None:  # type: ignore[no-untyped-def]
    for _ in range(500):
        if ready():
            return
        await pilot.pause(0.01)
    raise AssertionError("never happened")


async def test_a_full_page_is_drawn_before_its_count_and_the_count_follows(db, monkeypatch) -> None:
    gate, asked = _held_counts(monkeypatch)
    async with _on_customers(db) as (pilot, screen):
        assert asked == []  # the first page of everyone is counted with it
        line = screen.query_one("#customers-summary", Static)
        table = screen.query_one("#customers", FastTable)
        screen.query_one("#search", Input).insert_text_at_cursor("zhang")
        await _until(pilot, lambda: screen.shown is not None and screen.shown[0] == "zhang" and asked)
        await pilot.pause()
        # The page is on the screen while the COUNT is held: at least a page found, no page count.
        assert _keys(table) == find_ids(db, "zhang", limit=table.row_count)
        assert "找到 100+ 位 / 共 130 位　第 1 页" in str(line.render())
        assert not screen.counted
        gate.set()
        await settle(pilot)
        assert asked == ["zhang"]
        assert "找到 130 位 / 共 130 位　第 1/2 页" in str(line.render())
        # A page shorter than PAGE is its own count: no COUNT asked.
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", *"章敏")
        await settle(pilot)
        assert asked == ["zhang", "zhan", "zha", "zh", "z", ""]  # full pages only: 章 and 章敏 are short
        found = find_page(db, "章敏", None, None, 0, PAGE)[1]
        assert 0 < found < PAGE
        assert f"找到 {found} 位 / 共 130 位　第 1/1 页" in str(line.render())


async def test_a_page_asked_for_while_counting_is_turned_once_the_count_comes(db, monkeypatch) -> None:
    gate, _ = _held_counts(monkeypatch)
    async with _on_customers(db) as (pilot, screen):
        line = screen.query_one("#customers-summary", Static)
        screen.query_one("#search", Input).insert_text_at_cursor("zhang")
        await _until(pilot, lambda: screen.shown is not None and screen.shown[0] == "zhang")
        assert not screen.counted
        await pilot.press("down", "right_square_bracket")  # to the list, then the next page before the count
        await pilot.pause()
        assert screen.page == 0 and "第 1 页" in str(line.render())
        gate.set()
        await settle(pilot)
        assert screen.page == 1
        assert "找到 130 位 / 共 130 位　第 2/2 页" in str(line.render())
        keys = _keys(screen.query_one("#customers", FastTable))
        assert keys and keys == find_page(db, "zhang", None, None, 1, PAGE)[0][: len(keys)]


async def test_the_count_of_a_keystroke_overtaken_is_never_shown(db, monkeypatch) -> None:
    gate, _ = _held_counts(monkeypatch, only="z")
    shown: list[tuple[str, int]] = []
    show_count = CustomersScreen.show_count

    def recording(self: CustomersScreen, wanted, counted: int) -> None:  # type: ignore[no-untyped-def]
        show_count(self, wanted, counted)
        shown.append((wanted[0], self.count))

    monkeypatch.setattr(CustomersScreen, "show_count", recording)
    async with _on_customers(db) as (pilot, screen):
        box = screen.query_one("#search", Input)
        box.insert_text_at_cursor("z")
        await _until(pilot, lambda: screen.shown is not None and screen.shown[0] == "z")
        box.insert_text_at_cursor("h")  # while z is being counted
        await _until(pilot, lambda: screen.shown is not None and screen.shown[0] == "zh" and screen.counted)
        gate.set()
        await settle(pilot)
        line = str(screen.query_one("#customers-summary", Static).render())
        assert screen.shown[0] == "zh" and screen.count == 130 and "找到 130 位 / 共 130 位" in line
        assert [query for query, _n in shown] == ["zh"]  # z's count, come after, was dropped


async def test_down_and_enter_typed_together_from_the_search_open_the_first_customer(db) -> None:
    from textual import events

    from kequ.ui.screens.customers.profile import ProfileScreen

    async with _on_customers(db, "zhang") as (pilot, screen):
        first = _keys(screen.query_one("#customers", FastTable))[0]
        # Both keys reach the app before either is handled, as a fast typist's do.
        pilot.app.post_message(events.Key("down", None))
        pilot.app.post_message(events.Key("enter", "\r"))
        await settle(pilot)
        assert isinstance(pilot.app.screen, ProfileScreen) and pilot.app.screen.customer_id == first
