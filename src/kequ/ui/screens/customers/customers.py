"""客户: the whole book, searched as you type (pinyin and initials too) and filtered.

The list shows one page at a time: a DataTable measures every cell it holds, so ten
thousand rows would make each keystroke crawl. Search and filters run over plain values
in memory; only the visible page is turned into table rows.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Select, Static

from kequ.domain.agenda.rules import TIER_WEIGHT
from kequ.domain.notes import notes_query
from kequ.domain.records import CustomerRow
from kequ.domain.search import Candidate, SearchIndex
from kequ.domain.values import address_as
from kequ.domain.vocab import Disc, RelationType, Tier
from kequ.errors import KequError
from kequ.i18n import t
from kequ.storage import clock
from kequ.ui.base import KequScreen
from kequ.ui.styles import css_beside
from kequ.ui.widgets.badges import disc_badge, disc_badge_width, plain, widest_label

if TYPE_CHECKING:
    from kequ.services.notes import NoteResults

PAGE = 100
# A notes search (# in the box) lists at most this many texts, newest first.
NOTE_HITS = 200
FILTERS = ("tier", "disc", "relation_type", "city", "tag")
VOCABS: dict[str, type[StrEnum]] = {"tier": Tier, "disc": Disc, "relation_type": RelationType}


def matches(row: CustomerRow, chosen: dict[str, str], at_risk: bool, has_due: bool) -> bool:
    for field, value in chosen.items():
        if field == "tag":
            if value not in row.tags:
                return False
        elif getattr(row, field) != value:
            return False
    return (row.at_risk or not at_risk) and (row.has_due or not has_due)


def counted_options(rows: list[CustomerRow], field: str) -> list[tuple[str, str]]:
    """Filter choices with how many customers each holds: the mix of the book at a glance."""
    if field == "tag":
        counts = Counter(tag for row in rows for tag in row.tags)
        return [(f"{tag} ({n})", tag) for tag, n in counts.most_common(40)]
    counts = Counter(getattr(row, field) for row in rows)
    if field == "city":
        return [(f"{city} ({n})", city) for city, n in counts.most_common() if city]
    members = VOCABS[field]
    return [(f"{t(f'vocab.{field}.{m.value}')} ({counts.get(m.value, 0)})", m.value) for m in members]


# Fixed widths (cells; a Chinese character takes two): the columns stay put from page
# to page instead of following each page's longest name.
COLUMNS = (
    ("col.customer", 22),
    ("col.company", 30),
    ("col.city", 8),
    ("col.tier", 6),
    ("col.disc", 10),
    ("customers.col.last", 10),
)

# Below this many columns the list and its filters take their narrow form (80×24, half
# a laptop screen): one-line filters, and columns sized to the screen.
NARROW = 100
NARROW_CUSTOMER = 18  # ⚠ 欧阳总 欧阳娜娜
CITY_WIDTH = 6  # 哈尔滨
COMPANY_MIN = 16  # below this the city goes: the company says more about who it is
SCROLLBAR = 2
PADDING = 2  # each column's cell padding, one either side

# The legal form says nothing on a narrow screen: 深圳前海融信供应链有限公司 → 深圳前海融信供应链.
LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司")


def column_widths(screen: int | None = None) -> dict[str, int]:
    """The fixed widths, with the tier and type columns as wide as their labels in the
    language shown (Potential, I Influencer); the company gives up what they gain.

    On a screen narrower than NARROW the customer column shrinks, the company takes what
    the screen has left, and the city is left out when the company would be cut too short
    (English, whose tier and type labels are longer)."""
    widths = dict(COLUMNS)
    tier, disc = widest_label("vocab.tier", Tier), disc_badge_width()
    if screen is None or screen >= NARROW:
        widths["col.company"] -= max(0, tier - widths["col.tier"]) + max(0, disc - widths["col.disc"])
        widths["col.tier"], widths["col.disc"] = max(tier, widths["col.tier"]), max(disc, widths["col.disc"])
        return widths
    tier = max(tier, cell_len(t("col.tier")))
    disc = max(disc, cell_len(t("col.disc")))
    last = max(widths["customers.col.last"], cell_len(t("customers.col.last")))
    fixed = {"col.customer": NARROW_CUSTOMER, "col.tier": tier, "col.disc": disc, "customers.col.last": last}
    room = screen - SCROLLBAR - sum(fixed.values()) - PADDING * (len(fixed) + 1)
    city = room - CITY_WIDTH - PADDING >= COMPANY_MIN
    company = room - CITY_WIDTH - PADDING if city else room
    narrow = {"col.customer": fixed["col.customer"], "col.company": company}
    if city:
        narrow["col.city"] = CITY_WIDTH
    narrow.update({key: fixed[key] for key in ("col.tier", "col.disc", "customers.col.last")})
    return narrow


# What a boxed filter takes beyond its text: border, padding and the ▼ (a select), or
# border, padding and the ▐X▌ (a check box).
SELECT_FRAME = 8
CHECKBOX_FRAME = 9
COUNT = " (99)"  # a chosen value shows with its count


def boxed_filters_fit(screen: int) -> bool:
    """Whether the filters, boxed side by side, each show their label and a chosen value
    with its count (亲人型 (15), Relationship): at 160 columns they do, at 100 they don't."""
    widest = max(
        *(cell_len(t(f"customers.filter.{field}")) for field in FILTERS),
        *(widest_label(f"vocab.{field}", members) + cell_len(COUNT) for field, members in VOCABS.items()),
    )
    checks = sum(cell_len(t(f"customers.filter.{key}")) + CHECKBOX_FRAME for key in ("at_risk", "has_due"))
    return len(FILTERS) * (widest + SELECT_FRAME) + checks <= screen


def short_company(company: str) -> str:
    for suffix in LEGAL_SUFFIXES:
        if company.endswith(suffix) and len(company) > len(suffix):
            return company[: -len(suffix)]
    return company


class CustomersScreen(KequScreen[None]):
    BINDINGS = [
        Binding("slash", "focus_search", t("key.search"), id="customers.search"),
        # Out of the search box, so the number keys switch screens again.
        Binding("escape,down", "to_list", t("key.to_list"), id="customers.to_list", show=False),
        Binding("n", "add", t("key.add"), id="customers.add"),
        # In the search box : is typed as a letter; Escape, then :.
        Binding("colon", "app.capture", t("key.capture"), id="customers.capture", key_display=":"),
        Binding("enter", "open", t("key.profile"), id="customers.open", show=False),
        Binding("pagedown,right_square_bracket", "page(1)", t("key.next_page"), id="customers.next_page"),
        Binding("pageup,left_square_bracket", "page(-1)", t("key.prev_page"), id="customers.prev_page"),
        Binding("r", "refresh", t("key.refresh"), id="customers.refresh"),
        Binding("d", "duplicates", t("key.duplicates"), id="customers.duplicates"),
    ]

    DEFAULT_CSS = css_beside(__file__, "customers_screen.tcss")

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self.today = today or clock.today()
        self.rows: dict[int, CustomerRow] = {}
        self.index: SearchIndex | None = None
        self.found: list[int] = []
        self.page = 0
        self.columns: dict[str, int] = {}  # the columns shown and their widths, for this screen width

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=t("customers.search_placeholder"), id="search")
        with Horizontal(id="filters"):
            for field in FILTERS:
                yield Select([], prompt=t(f"customers.filter.{field}"), id=f"filter-{field}")
            yield Checkbox(t("customers.filter.at_risk"), id="filter-at-risk")
            yield Checkbox(t("customers.filter.has_due"), id="filter-has-due")
        yield Static(t("today.loading"), id="customers-summary")
        yield DataTable(id="customers", cursor_type="row", zebra_stripes=True)
        # A notes search (#交货) lists the texts found instead of the customers.
        yield DataTable(id="notes", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("customers.title")
        self.fit(self.app.size.width)
        notes = self.query_one("#notes", DataTable)
        for key, width in (("col.customer", 16), ("col.date", 10), ("notes.col.what", 12), ("notes.col.line", None)):
            notes.add_column(t(key), key=key, width=width)
        notes.display = False
        self.load()

    def on_resize(self) -> None:
        self.fit(self.size.width)

    def fit(self, width: int) -> None:
        """Wide: the fixed columns and boxed filters. Narrow: the columns sized to the
        screen so that the type and the last contact stay on it. The filters lose their
        boxes wherever the boxes would cut their labels or a chosen value."""
        narrow = width < NARROW
        self.set_class(narrow, "-narrow")
        compact = not boxed_filters_fit(width)
        self.set_class(compact, "-compact-filters")
        for widget in self.query("#filters Select, #filters Checkbox"):
            widget.compact = compact  # type: ignore[attr-defined]
        columns = column_widths(width if narrow else None)
        if columns == self.columns:
            return
        self.columns = columns
        table = self.query_one("#customers", DataTable)
        table.clear(columns=True)
        for key, column_width in columns.items():
            table.add_column(t(key), key=key, width=column_width)
        if self.index is not None:
            self.show_page()

    @work(thread=True, exclusive=True, group="customers")
    def load(self) -> None:
        from kequ.services.customer_list import customer_rows

        rows = customer_rows(self.db, self.today)
        index = SearchIndex(Candidate(row.id, row.search_keys, row.name, TIER_WEIGHT.get(row.tier, 0)) for row in rows)
        self.app.call_from_thread(self.loaded, rows, index)

    def loaded(self, rows: list[CustomerRow], index: SearchIndex) -> None:
        self.rows = {row.id: row for row in rows}
        self.index = index
        for field in FILTERS:
            select = self.query_one(f"#filter-{field}", Select)
            keep = select.value
            select.set_options(counted_options(rows, field))
            if keep is not Select.NULL and any(value == keep for _, value in counted_options(rows, field)):
                select.value = keep
        self.apply()

    def chosen_filters(self) -> dict[str, str]:
        chosen = {}
        for field in FILTERS:
            value = self.query_one(f"#filter-{field}", Select).value
            if value is not Select.NULL:
                chosen[field] = str(value)
        return chosen

    def apply(self) -> None:
        """Search, then filter, then show the first page."""
        if self.index is None:
            return
        query = self.query_one("#search", Input).value
        wanted = notes_query(query)
        self.query_one("#customers", DataTable).display = wanted is None
        self.query_one("#notes", DataTable).display = wanted is not None
        if wanted is not None:
            self.search_notes(wanted)
            return
        chosen = self.chosen_filters()
        at_risk = self.query_one("#filter-at-risk", Checkbox).value
        has_due = self.query_one("#filter-has-due", Checkbox).value
        ids = self.index.search(query)
        if chosen or at_risk or has_due:
            ids = [i for i in ids if i in self.rows and matches(self.rows[i], chosen, at_risk, has_due)]
        self.found = ids
        self.page = 0
        self.show_page()

    def show_page(self) -> None:
        table = self.query_one("#customers", DataTable)
        table.clear()
        narrow = self.has_class("-narrow")
        start = self.page * PAGE
        for cid in self.found[start : start + PAGE]:
            row = self.rows.get(cid)
            if row is None:
                continue
            who = Text("⚠ ", style="bold red") if row.at_risk else Text()
            who.append_text(plain(address_as(row.name, row.honorific)))
            if row.honorific and row.honorific != row.name:
                who.append_text(plain(f" {row.name}", "dim"))
            if row.churned:
                who.append(t("lost.mark"), style="red")
            last = row.last_contact.isoformat() if row.last_contact else "—"
            cells = {
                "col.customer": who,
                "col.company": plain(short_company(row.company) if narrow else row.company),
                "col.city": plain(row.city),
                "col.tier": plain(t(f"vocab.tier.{row.tier}")),
                "col.disc": disc_badge(row.disc),
                "customers.col.last": plain(last),
            }
            table.add_row(*(cells[key] for key in self.columns), key=str(cid))
        pages = max(1, -(-len(self.found) // PAGE))
        summary = t("customers.summary", shown=len(self.found), total=len(self.rows), page=self.page + 1, pages=pages)
        lost = sum(1 for row in self.rows.values() if row.churned)
        if lost:
            summary += t("lost.summary", n=lost)
        self.query_one("#customers-summary", Static).update(plain(summary))

    def search_notes(self, wanted: str) -> None:
        """What I wrote that holds the words after the #: read in a worker, newest first."""
        notes = self.query_one("#notes", DataTable)
        summary = self.query_one("#customers-summary", Static)
        if len(wanted.strip()) < 2:
            notes.clear()
            summary.update(plain(t("notes.ui.hint")))
            return
        self.find_notes(wanted)

    @work(thread=True, exclusive=True, group="notes-search")
    def find_notes(self, wanted: str) -> None:
        from kequ.services.notes import find_in_notes

        try:
            found = find_in_notes(self.db, wanted, limit=NOTE_HITS)
        except KequError as problem:
            self.app.call_from_thread(self.query_one("#customers-summary", Static).update, plain(problem.message()))
            return
        self.app.call_from_thread(self.show_notes, wanted, found)

    def show_notes(self, wanted: str, found: NoteResults) -> None:
        if notes_query(self.query_one("#search", Input).value) != wanted:
            return  # typed on since: the newer search shows its own
        import sqlite3

        from kequ.domain.values import address_as

        notes = self.query_one("#notes", DataTable)
        notes.clear()
        for hit in found.hits:
            before, match, after = hit.around(found.terms)
            line = plain(before)
            line.append_text(plain(match, "bold reverse"))
            line.append_text(plain(after))
            day = hit.day.isoformat() if hit.day else "—"
            who = plain(address_as(hit.name, hit.honorific))
            notes.add_row(who, plain(day), plain(hit.what()), line, key=f"{hit.customer_id}:{hit.source}:{hit.ref_id}")
        said = t("notes.ui.summary", query=wanted.strip(), count=len(found.hits))
        if not found.indexed:
            said += " " + t("notes.no_index", version=sqlite3.sqlite_version)
        self.query_one("#customers-summary", Static).update(plain(said))

    def open_note(self, key: str) -> None:
        """The profile of the customer who wrote it, on the tab that shows that entry."""
        from kequ.ui.screens.customers.profile import ProfileScreen

        customer_id, source, ref = key.split(":")
        self.app.push_screen(ProfileScreen(int(customer_id), self.today, at=(source, int(ref))))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            self.apply()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.action_to_list()

    def on_select_changed(self, _event: Select.Changed) -> None:
        self.apply()

    def on_checkbox_changed(self, _event: Checkbox.Changed) -> None:
        self.apply()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if not event.row_key.value:
            return
        if event.data_table.id == "notes":
            self.open_note(event.row_key.value)
        else:
            self.open_profile(int(event.row_key.value))

    def open_profile(self, customer_id: int) -> None:
        from kequ.ui.screens.customers.profile import ProfileScreen

        def after(changed: bool | None) -> None:
            if changed:
                self.load()

        self.app.push_screen(ProfileScreen(customer_id, self.today), after)

    def action_open(self) -> None:
        notes = self.query_one("#notes", DataTable)
        table = notes if notes.display else self.query_one("#customers", DataTable)
        if table.row_count:
            key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
            if key.value and table is notes:
                self.open_note(key.value)
            elif key.value:
                self.open_profile(int(key.value))

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_to_list(self) -> None:
        notes = self.query_one("#notes", DataTable)
        (notes if notes.display else self.query_one("#customers", DataTable)).focus()

    def action_page(self, step: int) -> None:
        last = max(0, (len(self.found) - 1) // PAGE)
        self.page = min(last, max(0, self.page + step))
        self.show_page()

    def action_refresh(self) -> None:
        self.load()

    def action_add(self) -> None:
        from kequ.ui.screens.customers.new_customer import NewCustomerPrompt

        def after(new_id: int | None) -> None:
            if new_id is not None:
                self.load()
                self.open_profile(new_id)

        self.app.push_screen(NewCustomerPrompt(), after)

    def action_duplicates(self) -> None:
        from kequ.ui.screens.customers.duplicates import DuplicatesScreen

        def after(merged: bool | None) -> None:
            if merged:
                self.load()

        self.app.push_screen(DuplicatesScreen(self.today), after)
