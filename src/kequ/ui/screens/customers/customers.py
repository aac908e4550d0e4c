"""客户: the whole book, searched as you type (pinyin and initials too) and filtered.

The list shows one page at a time: a DataTable measures every cell it holds, so ten
thousand rows would make each keystroke crawl. The book is not read whole either: a search
or a filter is a query on the stored search columns (schema step 10) for the ids of the page
shown and a COUNT, run in a worker; only the rows of that page are read, and the next page
is read when the user pages on. Who is owed a touch or at
risk needs the agenda of the whole book: it is read after the first page is up, and marks
the rows (and feeds the two check boxes) when it arrives.
"""

from __future__ import annotations

import gc
import threading
from collections import Counter
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Checkbox, DataTable, Header, Input, Select, Static
from textual.worker import get_current_worker

from kequ.domain.notes import notes_query
from kequ.domain.records import CustomerRow
from kequ.domain.values import address_as
from kequ.domain.vocab import Disc, RelationType, Tier
from kequ.errors import KequError
from kequ.i18n import t
from kequ.storage import clock
from kequ.ui.base import KequScreen
from kequ.ui.styles import css_beside
from kequ.ui.widgets.badges import disc_badge, disc_badge_width, plain, widest_label
from kequ.ui.widgets.fast_table import MARGIN, FastTable
from kequ.ui.widgets.footer import KequFooter

if TYPE_CHECKING:
    from kequ.services.customer_list import Flags, Searcher
    from kequ.services.notes import NoteResults

PAGE = 100
# The marks wait this long at most for the first page to be drawn (a screen left at once is not).
PAINT_WAIT_S = 2.0
# From this many customers on, what is loaded when the list is ready is frozen (see loaded).
FREEZE_AT = 5_000
# A notes search (# in the box) lists at most this many texts, newest first.
NOTE_HITS = 200
FILTERS = ("tier", "disc", "relation_type", "city", "tag")
VOCABS: dict[str, type[StrEnum]] = {"tier": Tier, "disc": Disc, "relation_type": RelationType}


# What the list shows is decided by these: the search box, the filters, the two check boxes.
Wanted = tuple[str, tuple[tuple[str, str], ...], bool, bool]


def counted_options(values: dict[str, int], field: str) -> list[tuple[str, str]]:
    """Filter choices with how many customers each holds: the mix of the book at a glance."""
    counts = Counter(values)
    if field == "tag":
        return [(f"{tag} ({n})", tag) for tag, n in counts.most_common(40)]
    if field == "city":
        return [(f"{city} ({n})", city) for city, n in counts.most_common() if city]
    members = VOCABS[field]
    return [(f"{t(f'vocab.{field}.{m.value}')} ({counts.get(m.value, 0)})", m.value) for m in members]


# Fixed widths (cells; a Chinese character takes two): the columns stay put from page
# to page instead of following each page's longest name.
HEALTH = "health.ui.col"  # the relationship's health score, 0-100 (kequ.domain.review.health)
COLUMNS = (
    ("col.customer", 20),
    ("col.company", 28),
    ("col.city", 6),
    ("col.tier", 6),
    ("col.disc", 10),
    ("customers.col.last", 10),
    (HEALTH, 4),
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


def column_widths(screen: int | None = None, health_first: bool = False) -> dict[str, int]:
    """The fixed widths, with the tier, type and health columns as wide as their labels in
    the language shown (Potential, I Influencer, Health); the company gives up what they gain.

    On a screen narrower than NARROW the customer column shrinks, the company takes what
    the screen has left, and the city, then the health score, are left out when the company
    would be cut too short (English, whose tier and type labels are longer). While the list
    is sorted by health (``health_first``) the score is always shown, before the city."""
    widths = dict(COLUMNS)
    tier, disc = widest_label("vocab.tier", Tier), disc_badge_width()
    health = max(widths[HEALTH], cell_len(t(HEALTH)))
    if screen is None or screen >= NARROW:
        gained = max(0, tier - widths["col.tier"]) + max(0, disc - widths["col.disc"]) + health - widths[HEALTH]
        widths["col.company"] -= gained
        widths["col.tier"], widths["col.disc"] = max(tier, widths["col.tier"]), max(disc, widths["col.disc"])
        widths[HEALTH] = health
        return widths
    tier = max(tier, cell_len(t("col.tier")))
    disc = max(disc, cell_len(t("col.disc")))
    last = max(widths["customers.col.last"], cell_len(t("customers.col.last")))
    fixed = {"col.customer": NARROW_CUSTOMER, "col.tier": tier, "col.disc": disc, "customers.col.last": last}
    room = screen - SCROLLBAR - sum(fixed.values()) - PADDING * (len(fixed) + 1)
    extras = [("col.city", CITY_WIDTH), (HEALTH, health)]
    shown = set()
    for key, width in reversed(extras) if health_first else extras:
        # Sorted by health, the score shows even where the company is cut short for it.
        if room - width - PADDING >= COMPANY_MIN or (health_first and key == HEALTH):
            shown.add(key)
            room -= width + PADDING
    narrow = {"col.customer": fixed["col.customer"], "col.company": room}
    if "col.city" in shown:
        narrow["col.city"] = CITY_WIDTH
    narrow.update({key: fixed[key] for key in ("col.tier", "col.disc", "customers.col.last")})
    if HEALTH in shown:
        narrow[HEALTH] = health
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


# Sorted after every score: a customer the scores do not know yet (added since they were read).
UNSCORED = 101
HEALTH_LOW, HEALTH_FAIR = 40, 70


def health_cell(score: int | None) -> Text:
    """The score, red below 40 and yellow below 70; … while the scores are read."""
    if score is None:
        return Text("…", style="dim", justify="right")
    style = "bold red" if score < HEALTH_LOW else "yellow" if score < HEALTH_FAIR else ""
    return Text(str(score), style=style, justify="right")


def short_company(company: str) -> str:
    for suffix in LEGAL_SUFFIXES:
        if company.endswith(suffix) and len(company) > len(suffix):
            return company[: -len(suffix)]
    return company


class SearchBox(Input):
    """The search box. Input marks its scrollable width as a change of layout whenever its
    text grows, and a layout draws the whole screen again (the filters, the footer) on a
    keystroke that has a table to draw: the box's own size never depends on it, so here it
    only repaints the box."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


class CustomersScreen(KequScreen[None]):
    BINDINGS = [
        Binding("slash", "focus_search", t("key.search"), id="customers.search"),
        # Out of the search box, so the number keys switch screens again.
        Binding("escape,down", "to_list", t("key.to_list"), id="customers.to_list", show=False),
        Binding("n", "add", t("key.add"), id="customers.add"),
        # In the search box : is typed as a letter; Escape, then :. Listed under ?, not in the
        # footer: at 80 and 100 columns it would push quit and help off the line.
        Binding("colon", "app.capture", t("key.capture"), id="customers.capture", key_display=":", show=False),
        Binding("enter", "open", t("key.profile"), id="customers.open", show=False),
        Binding("pagedown,right_square_bracket", "page(1)", t("key.next_page"), id="customers.next_page"),
        Binding("pageup,left_square_bracket", "page(-1)", t("key.prev_page"), id="customers.prev_page"),
        Binding("r", "refresh", t("key.refresh"), id="customers.refresh"),
        Binding("d", "duplicates", t("key.duplicates"), id="customers.duplicates"),
        Binding("h", "sort_health", t("health.ui.key_sort"), id="customers.sort_health"),
    ]

    DEFAULT_CSS = css_beside(__file__, "customers_screen.tcss")

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self.today = today or clock.today()
        self.rows: dict[int, CustomerRow] = {}  # the rows read so far, by id
        self.found: list[int] = []  # the ids of the page shown, in order
        self.count = 0  # how many the search and filters give in all
        self.counted = True  # False while ``count`` is only the page's matches, the COUNT to come
        self.paged = 0  # pages asked for (PageDown, ]) while not counted: turned once the count comes
        self.shown: Wanted | None = None  # what ``found`` answers; None until the first page
        self.total = 0
        self.lost = 0
        self.flags: Flags | None = None  # owed and at risk, once the agenda has been read
        self.page = 0
        self.columns: dict[str, int] = {}  # the columns shown and their widths, for this screen width
        # Health scores (kequ.services.review.health_scores) read after the rows: those of each
        # page shown, and everyone's once the list is sorted by them (seconds at 100,000).
        self.health: dict[int, int] = {}
        self.health_all = False
        self.sort_health = False  # lowest health first, instead of the search's order
        self.health_asked = 0  # counts the list's loads: scores read for an older one are dropped
        self.searcher: Searcher | None = None  # the search's own connection, made by the first search

    def compose(self) -> ComposeResult:
        yield Header()
        yield SearchBox(placeholder=t("customers.search_placeholder"), id="search")
        with Horizontal(id="filters"):
            for field in FILTERS:
                yield Select([], prompt=t(f"customers.filter.{field}"), id=f"filter-{field}")
            yield Checkbox(t("customers.filter.at_risk"), id="filter-at-risk")
            yield Checkbox(t("customers.filter.has_due"), id="filter-has-due")
        yield Static(t("today.loading"), id="customers-summary")
        # Drawn faster than a DataTable, and filled with the rows in view first (see FastTable).
        yield FastTable(id="customers", cursor_type="row", zebra_stripes=True)
        # A notes search (#交货) lists the texts found instead of the customers.
        yield DataTable(id="notes", cursor_type="row", zebra_stripes=True)
        yield KequFooter()

    def on_mount(self) -> None:
        self.title = t("customers.title")
        self.fit(self.app.size.width)
        notes = self.query_one("#notes", DataTable)
        for key, width in (("col.customer", 16), ("col.date", 10), ("notes.col.what", 12), ("notes.col.line", None)):
            notes.add_column(t(key), key=key, width=width)
        notes.display = False
        self.load()

    def on_unmount(self) -> None:
        if self.searcher is not None:
            self.searcher.close()

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
        columns = column_widths(width if narrow else None, health_first=self.sort_health)
        if columns == self.columns:
            return
        self.columns = columns
        table = self.query_one("#customers", DataTable)
        table.clear(columns=True)
        for key, column_width in columns.items():
            table.add_column(t(key), key=key, width=column_width)
        if self.shown is not None:
            self.show_page()

    def load(self) -> None:
        """Read the list again: the first page as soon as it is found, then the agenda's marks."""
        self.health, self.health_all = {}, False
        self.health_asked += 1
        self.read_book(self.wanted(), self.in_view())

    def in_view(self) -> int:
        """How many rows of a page are filled (and scored) at once: those the list shows, and a margin."""
        return self.query_one("#customers", FastTable).rows_in_view() + MARGIN

    @work(thread=True, exclusive=True, group="customers")
    def read_book(self, wanted: Wanted, first: int) -> None:
        """The first page, with the scores of the rows in view, drawn once; then who is owed a
        touch or at risk (the agenda of the whole book) and the filters' counts, read once the
        page is on the screen so that drawing it does not share the CPU with them."""
        from kequ.services import customer_list as service

        worker = get_current_worker()
        asked = self.health_asked
        ids, count, rows = self.find(wanted, None, 0)
        assert self.searcher is not None
        total, lost = self.searcher.counts()
        if worker.is_cancelled:
            return
        scores = self.page_health(ids[:first])
        if worker.is_cancelled:
            return
        painted = threading.Event()
        self.app.call_from_thread(self.listed, wanted, (ids, count), rows, (total, lost), (asked, scores), painted.set)
        painted.wait(PAINT_WAIT_S)
        if worker.is_cancelled:
            return
        flags = service.customer_flags(self.db, self.today)
        options = service.filter_counts(self.db, FILTERS)
        if not worker.is_cancelled:
            self.app.call_from_thread(self.loaded, flags, options)

    def find(
        self, wanted: Wanted, flags: Flags | None, page: int, counted: bool = True
    ) -> tuple[list[int], int | None, dict[int, CustomerRow]]:
        """In a worker: the ids of one page of what ``wanted`` gives, how many in all (None,
        not ``counted``, where that takes a COUNT of its own: ``count_of``), their rows."""
        from kequ.services.customer_list import Searcher, find_ids, rows_by_id

        query, chosen, at_risk, has_due = wanted
        if (at_risk or has_due) and flags is None:
            return [], 0, {}  # not known yet: the list is found again when the agenda is read
        among = self.among(wanted, flags)
        if self.sort_health:
            # Sorted by health: every match is needed to know the lowest, so the page is cut here.
            scores = self.everyones_health()
            ids = sorted(find_ids(self.db, query, dict(chosen), among=among), key=lambda i: scores.get(i, UNSCORED))
            count, ids = len(ids), ids[page * PAGE : (page + 1) * PAGE]  # ties keep the search's order
            return ids, count, rows_by_id(self.db, ids, flags)
        if self.searcher is None:
            self.searcher = Searcher(self.db)
        worker = get_current_worker()
        # Waiting for the search before it is over, one a newer keystroke overtook reads nothing.
        return self.searcher.page(
            query, dict(chosen), among, page, PAGE, flags, lambda: worker.is_cancelled, counted=counted
        )

    @staticmethod
    def among(wanted: Wanted, flags: Flags | None) -> frozenset[int] | None:
        """The customers the two check boxes keep (None: all of them)."""
        _query, _chosen, at_risk, has_due = wanted
        if not (at_risk or has_due) or flags is None:
            return None
        return (flags.risky if at_risk else flags.owed) & (flags.owed if has_due else flags.risky)

    def count_of(self, wanted: Wanted, flags: Flags | None) -> int | None:
        """In a worker: how many ``wanted`` gives in all (None when a newer keystroke overtook it)."""
        assert self.searcher is not None
        worker = get_current_worker()
        query, chosen, _at_risk, _has_due = wanted
        return self.searcher.count(query, dict(chosen), self.among(wanted, flags), lambda: worker.is_cancelled)

    def everyones_health(self) -> dict[int, int]:
        """In a worker: every customer's score, read once per load (seconds at 100,000)."""
        if not self.health_all:
            from kequ.services.review import health_scores

            asked = self.health_asked
            scores = health_scores(self.db, self.today)
            if asked == self.health_asked:  # not read again meanwhile
                self.health, self.health_all = scores, True
            return scores
        return self.health

    def listed(
        self,
        wanted: Wanted,
        found: tuple[list[int], int],
        rows: dict[int, CustomerRow],
        counts: tuple[int, int],
        scores: tuple[int, dict[int, int]],
        then: Callable[[], object],
    ) -> None:
        self.total, self.lost = counts
        self.rows = rows
        self.show_found(wanted, found, {}, scores)
        self.query_one("#customers", FastTable).when_drawn(then)  # once the page is on the screen

    def loaded(self, flags: Flags, options: dict[str, dict[str, int]]) -> None:
        """The agenda's marks and the filters' counts have been read."""
        self.flags = flags
        if self.total >= FREEZE_AT:
            # What the app holds by now (Today's agenda, these marks) stays: out of the cycle
            # collector's sight, its full collections stop walking it, which at 100,000
            # customers took half a second to a second of a keystroke every so often.
            gc.freeze()
        self.rows = self.marked(self.rows)
        for field in FILTERS:
            select = self.query_one(f"#filter-{field}", Select)
            keep = select.value
            choices = counted_options(options.get(field, {}), field)
            select.set_options(choices)
            if keep is not Select.NULL and any(value == keep for _, value in choices):
                select.value = keep
        wanted = self.wanted()
        if wanted[2] or wanted[3] or wanted != self.shown:
            self.apply()
        elif self.shown is not None:
            self.show_page()

    def marked(self, rows: dict[int, CustomerRow]) -> dict[int, CustomerRow]:
        """The rows with the agenda's marks, once it has been read (rows read before lack them)."""
        from dataclasses import replace

        flags = self.flags
        if flags is None:
            return rows
        marked = {}
        for cid, row in rows.items():
            at_risk, has_due = cid in flags.risky, cid in flags.owed
            # Rows a search read with the marks already have them: kept as they are.
            same = row.at_risk == at_risk and row.has_due == has_due
            marked[cid] = row if same else replace(row, at_risk=at_risk, has_due=has_due)
        return marked

    def wanted(self) -> Wanted:
        chosen = tuple(sorted(self.chosen_filters().items()))
        at_risk = self.query_one("#filter-at-risk", Checkbox).value
        has_due = self.query_one("#filter-has-due", Checkbox).value
        return self.query_one("#search", Input).value, chosen, at_risk, has_due

    @work(thread=True, group="customers-health")
    def load_health(self, asked: int, ids: list[int]) -> None:
        """The scores of rows filled without them (scrolled to, or a page read before the list's width was known)."""
        self.read_then_show(lambda _db: (asked, self.page_health(ids)), self.show_health)

    def show_health(self, found: tuple[int, dict[int, int]]) -> None:
        """Scores read after their rows were drawn: those cells drawn again."""
        asked, scores = found
        if asked != self.health_asked:
            return  # the list was read again since: its own scores show
        self.health.update(scores)
        if HEALTH not in self.columns:
            return
        table = self.query_one("#customers", DataTable)
        for cid in scores:
            if str(cid) in table.rows:
                table.update_cell(str(cid), HEALTH, health_cell(self.health.get(cid)))

    def chosen_filters(self) -> dict[str, str]:
        chosen = {}
        for field in FILTERS:
            value = self.query_one(f"#filter-{field}", Select).value
            if value is not Select.NULL:
                chosen[field] = str(value)
        return chosen

    def apply(self) -> None:
        """Search and filter in a worker, then show the first page."""
        if self.shown is None:
            return  # the first read is under way; it shows what is wanted by then
        query = self.query_one("#search", Input).value
        wanted = notes_query(query)
        for table, shown in (("#customers", wanted is None), ("#notes", wanted is not None)):
            widget = self.query_one(table, DataTable)
            if widget.display != shown:  # only a change is laid out again
                widget.display = shown
        if wanted is not None:
            self.search_notes(wanted)
            return
        self.search(self.wanted(), self.flags, self.in_view())

    @work(thread=True, exclusive=True, group="customers-search")
    def search(self, wanted: Wanted, flags: Flags | None, first: int) -> None:
        """One query a keystroke; a keystroke typed meanwhile supersedes it (its answer is
        dropped, and a search overtaken before it starts reads nothing).

        The scores of the rows in view are read here too, so the table is drawn once with
        them: a second worker updating every row afterwards would draw the whole table again.
        How many match in all, where that takes a COUNT of its own (a full page), is counted
        while the page is drawn, and shown when known."""
        worker = get_current_worker()
        asked = self.health_asked
        ids, count, rows = self.find(wanted, flags, 0, counted=False)
        if worker.is_cancelled:
            return
        scores = self.page_health(ids[:first])
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self.show_found, wanted, (ids, count), rows, (asked, scores))
        if count is None and not worker.is_cancelled:
            counted = self.count_of(wanted, flags)
            if counted is not None and not worker.is_cancelled:
                self.app.call_from_thread(self.show_count, wanted, counted)

    def page_health(self, ids: list[int]) -> dict[int, int]:
        """In a worker: the scores of these customers not known yet (none when the column is
        not shown, or everyone's are known), through the search's kept connection."""
        unknown = [cid for cid in ids if cid not in self.health]
        if not unknown or self.health_all or HEALTH not in self.columns:
            return {}
        if self.searcher is None:
            from kequ.services.customer_list import Searcher

            self.searcher = Searcher(self.db)
        return self.searcher.health(self.today, unknown)

    def show_found(
        self,
        wanted: Wanted,
        found: tuple[list[int], int | None],
        rows: dict[int, CustomerRow],
        scores: tuple[int, dict[int, int]] = (0, {}),
    ) -> None:
        if self.shown is not None and wanted != self.wanted():
            return  # typed on, or filtered, since: the newer search shows its own
        if scores[0] == self.health_asked:
            self.health.update(scores[1])
        self.rows.update(self.marked(rows))
        self.shown = wanted
        self.found, count = found
        # Not counted yet: at least the page's matches (a full page), until show_count.
        self.count, self.counted = (len(self.found), False) if count is None else (count, True)
        self.page = 0
        self.paged = 0
        self.show_page()
        if wanted != self.wanted():
            self.apply()  # the first read's answer came after the user typed or filtered

    def show_page(self) -> None:
        table = self.query_one("#customers", FastTable)
        keys = [str(cid) for cid in self.found if cid in self.rows]
        # The rows in view now, the rest of the page when the list is scrolled towards them.
        table.fill(keys, self.cells, more=self.filled_more)
        self.say(self.summary())
        self.filled_more(keys[: table.row_count])

    def summary(self) -> str:
        """The line above the list: how many are found (more than the page while counted), the page."""
        if self.counted:
            pages = max(1, -(-self.count // PAGE))
            summary = t("customers.summary", shown=self.count, total=self.total, page=self.page + 1, pages=pages)
        else:
            summary = t("customers.summary_counting", shown=self.count, total=self.total, page=self.page + 1)
        if self.lost:
            summary += t("lost.summary", n=self.lost)
        if self.sort_health:
            summary += t("health.ui.sorted")
        return summary

    def show_count(self, wanted: Wanted, count: int) -> None:
        """How many the list shown gives in all, counted after its page was drawn."""
        if wanted != self.shown or self.counted:
            return  # searched again since, or a page read since counted them
        self.count, self.counted = count, True
        self.say(self.summary())
        if self.paged:
            self.action_page(self.paged)

    def cells(self, key: str) -> list[Text]:
        """The cells of one customer's row, in the order of the columns shown."""
        cid = int(key)
        row = self.rows[cid]
        who = Text("⚠ ", style="bold red") if row.at_risk else Text()
        who.append_text(plain(address_as(row.name, row.honorific)))
        if row.honorific and row.honorific != row.name:
            who.append_text(plain(f" {row.name}", "dim"))
        if row.churned:
            who.append(t("lost.mark"), style="red")
        last = row.last_contact.isoformat() if row.last_contact else "—"
        narrow = self.has_class("-narrow")
        cells = {
            "col.customer": who,
            "col.company": plain(short_company(row.company) if narrow else row.company),
            "col.city": plain(row.city),
            "col.tier": plain(t(f"vocab.tier.{row.tier}")),
            "col.disc": disc_badge(row.disc),
            "customers.col.last": plain(last),
            HEALTH: health_cell(self.health.get(cid)),
        }
        return [cells[key] for key in self.columns]

    def filled_more(self, keys: list[str]) -> None:
        """Rows just filled: their health scores are read when not known yet."""
        unknown = [int(key) for key in keys if int(key) not in self.health]
        if unknown and not self.health_all and HEALTH in self.columns:
            self.load_health(self.health_asked, unknown)

    def say(self, summary: str) -> None:
        """The line above the list. Laid out again only when it may take another number of
        lines: a layout redraws the whole screen, and the keystroke has a table to draw."""
        line = self.query_one("#customers-summary", Static)
        room = line.content_region.width
        one_line = 0 < cell_len(summary) <= room and cell_len(str(line.render())) <= room
        line.update(plain(summary), layout=not one_line)

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
        # At once, not as focus() does after the keys already typed: Down and Enter pressed
        # together from the search box open the first customer (Enter went to the box).
        self.set_focus(notes if notes.display else self.query_one("#customers", DataTable))

    def action_page(self, step: int) -> None:
        if self.shown is None:
            return
        if not self.counted:  # how many pages there are is known once the count comes
            self.paged += step
            return
        self.paged = 0
        last = max(0, (self.count - 1) // PAGE)
        page = min(last, max(0, self.page + step))
        if page != self.page:
            self.read_page(self.shown, self.flags, page)

    @work(thread=True, exclusive=True, group="customers-page")
    def read_page(self, wanted: Wanted, flags: Flags | None, page: int) -> None:
        """Another page of the same search: its ids and rows only."""
        ids, count, rows = self.find(wanted, flags, page)
        assert count is not None
        self.app.call_from_thread(self.page_read, wanted, page, (ids, count), rows)

    def page_read(self, wanted: Wanted, page: int, found: tuple[list[int], int], rows: dict[int, CustomerRow]) -> None:
        if wanted != self.shown:
            return  # searched again meanwhile
        self.rows.update(self.marked(rows))
        self.found, self.count = found
        self.counted = True
        self.page = page
        self.show_page()

    def action_refresh(self) -> None:
        self.load()

    def action_sort_health(self) -> None:
        """Lowest health first (who needs attention), or back to the search's order."""
        self.sort_health = not self.sort_health
        self.fit(self.size.width)
        self.apply()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        if event.column_key.value == HEALTH:
            self.action_sort_health()

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
