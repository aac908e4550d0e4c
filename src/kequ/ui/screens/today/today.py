"""今日: who is owed a touch, in three sections: overdue, today, the coming week."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from itertools import islice
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.lazy import Lazy
from textual.widgets import DataTable, Header, Static

from kequ.domain.agenda import DAYS_AHEAD, sources
from kequ.domain.values import address_as, display_name, listed_name
from kequ.domain.vocab import TouchKind
from kequ.i18n import language, t
from kequ.storage import clock
from kequ.ui.base import NARROW_SCREEN, KequScreen
from kequ.ui.styles import css_beside
from kequ.ui.widgets.badges import disc_badge, disc_badge_width, plain, widest_label
from kequ.ui.widgets.footer import KequFooter

if TYPE_CHECKING:  # the agenda and calendar load with the data, after the first frame
    from kequ.domain.agenda.rules import DueItem
    from kequ.domain.trips import VisitView
    from kequ.storage.database import Database

WEEK = DAYS_AHEAD
REFRESH_SECONDS = 60
# A table row per item costs memory and time; past this a section says how many more.
SECTION_ROWS = 300
# Rows put in the table before the first frame; the rest follow one frame later. More than
# the tallest terminal shows at once.
FIRST_ROWS = 100
CUSTOMER_MIN, CUSTOMER_MAX = 24, 46
OTHER_COLUMNS = 104  # what the other columns need to show a whole reason and approach
# The reason is capped so a long complaint summary cannot push the approach off-screen
# (the detail line under the list shows it whole).
REASON_MIN, REASON_MAX = 30, 48
DATE_WIDTH = 5
PADDING = 2 * 6  # two cells per column
APPROACH_MIN = 34  # the longest one-line approach in Chinese, 17 characters
SCROLLBAR = 2
# The approach takes the rest of the row, however little: sized to the screen, it ends in
# "…" where the screen does instead of widening the table past it (a sideways scroll).
COLUMN_FLOOR = 8  # below this a column says nothing; only a tiny screen scrolls sideways
CUSTOMER_NARROW, REASON_NARROW = 22, 24
SHORT_BADGE = 4  # " D ", under a heading of 性格 or Type
COLUMNS = (
    "col.date",
    "col.kind",
    "col.customer",
    "col.disc",  # before the reason, so even 100 columns show each person's type
    "col.reason",
    "today.col.approach",
)


def label_widths() -> tuple[int, int]:
    """Cells the kind labels and type badges need in the current language (Visit is wider than 拜访)."""
    return widest_label("vocab.kind", TouchKind), disc_badge_width()


def column_widths(screen: int, kind: int, disc: int) -> dict[str, int]:
    """Every column's width for a screen this wide: fixed labels, then the customer, the
    reason and the approach share what is left, so the table never outgrows the screen.

    Below NARROW_SCREEN (half a laptop screen) the approach leaves the table for the line
    under it, where it is whole, and the type shows as its letter: the reason gets the room.
    """
    if screen < NARROW_SCREEN:
        fixed = DATE_WIDTH + kind + SHORT_BADGE + PADDING - 2
        customer = max(COLUMN_FLOOR, min(CUSTOMER_NARROW, screen - SCROLLBAR - fixed - REASON_NARROW))
        reason = max(COLUMN_FLOOR, screen - SCROLLBAR - fixed - customer)
        return dict(zip(COLUMNS[:-1], (DATE_WIDTH, kind, customer, SHORT_BADGE, reason), strict=True))
    fixed = DATE_WIDTH + kind + disc + PADDING
    customer = max(CUSTOMER_MIN, min(CUSTOMER_MAX, screen - OTHER_COLUMNS))
    customer = min(customer, screen - SCROLLBAR - fixed - 2 * COLUMN_FLOOR)  # an 80-column screen in English
    room = screen - SCROLLBAR - fixed - customer
    reason = max(REASON_MIN, min(REASON_MAX, room - APPROACH_MIN))
    reason = max(COLUMN_FLOOR, min(reason, room - COLUMN_FLOOR))
    approach = max(COLUMN_FLOOR, room - reason)
    widths = (DATE_WIDTH, kind, customer, disc, reason, approach)
    return dict(zip(COLUMNS, widths, strict=True))


# Within half a year of today, month and day cannot be mistaken: in December, "01-05" in a list
# ranked by day is next month; beyond that the year alone (the detail line has the whole date).
MONTH_DAY_REACH = timedelta(days=183)


def day_label(due: date, today: date) -> str:
    return due.strftime("%m-%d") if abs(due - today) <= MONTH_DAY_REACH else str(due.year)


def sections(items: list[DueItem], today: date) -> list[tuple[str, list[DueItem]]]:
    """Open complaints (when there are any), overdue, today, coming: one pass, as a big book
    holds tens of thousands of items. A complaint comes before everything else, whatever its date:
    an unhappy customer waiting is the one thing that cannot wait."""
    complaints: list[DueItem] = []
    overdue: list[DueItem] = []
    now: list[DueItem] = []
    coming: list[DueItem] = []
    complaint = f"{sources.COMPLAINT}:"  # what sources.origin reads, without a split per item
    for item in items:
        if item.source_key.startswith(complaint):
            complaints.append(item)
        elif item.due < today:
            overdue.append(item)
        else:
            (now if item.due == today else coming).append(item)
    bands = [("today.section.overdue", overdue), ("today.section.today", now), ("today.section.coming", coming)]
    return ([("today.section.complaints", complaints)] if complaints else []) + bands


def heading_cells(text: Text) -> tuple[Text, ...]:
    """A band's heading (or its "n more" line) as a row: the text in the customer column."""
    return (Text(""), Text(""), text, Text(""), Text(""), Text(""))


def sync_line(db: object) -> str:
    """When the book last synced and how many changes wait; '' for a book never synced."""
    from kequ.services.sync import sync_state

    state = sync_state(db)  # type: ignore[arg-type]
    if not state.server_url:
        return ""
    if state.last_synced_at is None:
        return t("sync.status_never", waiting=state.waiting)
    when = state.last_synced_at.astimezone().strftime("%m-%d %H:%M")
    return t("sync.status", when=when, waiting=state.waiting)


class TodayScreen(KequScreen[None]):
    BINDINGS = [
        Binding("d", "done", t("key.done"), id="today.done"),
        Binding("s", "snooze", t("key.snooze"), id="today.snooze"),
        Binding("l", "log", t("key.log"), id="today.log"),
        # Listed under ? and in ctrl+p, not in the footer: at 80 and 100 columns it would push
        # quit and help off the line.
        Binding("colon", "app.capture", t("key.capture"), id="today.capture", key_display=":", show=False),
        Binding("c", "copy", t("key.copy"), id="today.copy"),
        Binding("x", "complaint", t("key.complaint"), id="today.complaint"),
        Binding("enter,o", "open", t("key.profile"), id="today.open"),
        Binding("g", "goto_day", t("key.goto_day"), id="today.goto_day"),
        Binding("r", "refresh", t("key.refresh"), id="today.refresh", show=False),  # it refreshes itself
        # Only does something once the book has a team server (kequ sync --server …).
        Binding("S", "sync", t("sync.key"), id="today.sync", show=False),
    ]

    DEFAULT_CSS = css_beside(__file__, "today_screen.tcss")

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self.today = today or clock.today()
        self.items: dict[str, DueItem] = {}
        self.loaded: list[DueItem] | None = None
        self.visits: list[VisitView] = []
        self.first_touches = ""  # the line about new customers' first touches, if any
        self.laid_out_for = 0  # the screen width the columns were last sized for
        self.cursor_was = 0  # the row the cursor was on, to know which way it moves
        self.empty_book = False
        self.sync_line = ""  # last synced and changes waiting; empty for a book never synced
        self.shown = 0  # how many times the list was shown: rows made for an older one are dropped
        self.filling = False  # the rows after the first screen's are still to come

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("today.loading"), id="summary")
        table: DataTable[Text] = DataTable(id="agenda", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="detail")
        # The keys join one refresh after the first frame: styling each footer key was a
        # third of what kequ's first frame cost beyond a bare Textual app's.
        yield Lazy(KequFooter())

    def on_mount(self) -> None:
        self.title = t("today.title")
        # Another window or `kequ log` may write meanwhile: look again now and then.
        self.set_interval(REFRESH_SECONDS, self.refresh_quietly)
        # Paint the empty screen first: the worker's imports would hold the GIL meanwhile.
        self.call_after_refresh(self.load)

    def on_resize(self) -> None:
        """Give the customer column what a wide terminal can spare (company names are long)."""
        if self.size.width != self.laid_out_for:
            self.laid_out_for = self.size.width
            table = self.query_one("#agenda", DataTable)
            table.clear(columns=True)
            for key, width in column_widths(self.size.width, *label_widths()).items():
                # Text, not str: a str label is parsed as markup, which loads Rich's emoji table.
                table.add_column(Text(t(key)), key=key, width=width)
            if self.loaded is not None:
                self.show(self.loaded)

    @work(thread=True, exclusive=True, group="agenda")
    def load(self) -> None:
        from kequ.domain.agenda.first_touches import plan_line
        from kequ.storage.fast_reads.agenda import agenda_and_plan
        from kequ.storage.fast_reads.trips import visits_on

        db = self.db
        items, plan = agenda_and_plan(db, self.today, self.today + timedelta(days=WEEK))
        self.first_touches = plan_line(plan)
        # Plain SQL like the agenda: the day's trip visits come in the same paint.
        visits = visits_on(db, self.today)
        # The row texts load here, off the UI thread, not in show() while the user waits.
        from kequ.domain.agenda import reasons, suggest  # noqa: F401

        empty = False
        if not items:
            with db.reader() as conn:
                empty = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM customer)").fetchone()[0] == 1
        self.empty_book = empty
        self.sync_line = sync_line(db)

        self.app.call_from_thread(self.show, items, visits)

    def show(self, items: list[DueItem], visits: list[VisitView] | None = None) -> None:
        if visits is not None:
            self.visits = visits
        table = self.query_one("#agenda", DataTable)
        # After done or snooze the list is rebuilt: keep the cursor where the eye is.
        keep_row = table.cursor_row
        table.clear()
        self.loaded = items
        self.items = {}
        self.shown += 1
        grouped = sections(items, self.today)
        overdue = sum(len(group) for key, group in grouped if key == "today.section.overdue")
        risky = len({i.customer_id for i in items if i.at_risk})
        summary = t("today.summary", day=self.today.isoformat(), count=len(items), overdue=overdue, risky=risky)
        lines = (summary, self.first_touches, self.sync_line)
        self.query_one("#summary", Static).update(plain("\n".join(filter(None, lines))))
        rows = self.rows(grouped)
        # The first screen first: the rows below it come one frame later (at 100,000 customers
        # the table's 1,200 rows were half of this method), unless the cursor stays down there.
        later = keep_row < FIRST_ROWS // 2
        for cells, key in islice(rows, FIRST_ROWS) if later else rows:
            self.put(table, cells, key)
        self.filling = later
        if later:
            self.call_after_refresh(self.put_rest, rows, self.shown)
        if table.row_count:
            table.move_cursor(row=self.actionable_row(table, min(keep_row, table.row_count - 1)))
        if not items and self.empty_book:
            # A first morning: three empty bands say nothing about where to begin.
            self.query_one("#detail", Static).update(plain(t("today.empty_book")))

    def put_rest(self, rows: Iterator[tuple[tuple[Text, ...], str]], shown: int) -> None:
        """The rows after the first screen's, unless the list was shown again meanwhile."""
        if shown != self.shown:
            return
        table = self.query_one("#agenda", DataTable)
        for cells, key in rows:
            self.put(table, cells, key)
        self.filling = False

    def rows(self, grouped: list[tuple[str, list[DueItem]]]) -> Iterator[tuple[tuple[Text, ...], str]]:
        """Each row's cells and key in the list's order; each item kept as its row is made."""
        from kequ.domain.agenda.reasons import kind_label, reason_text
        from kequ.domain.agenda.suggest import approach_for

        lang = language()
        found = self.items
        for title_key, group in grouped:
            if title_key == "today.section.overdue":  # after open complaints, before the rest
                yield from self.visit_rows(lang)
            heading = Text(f"── {t(title_key)} {len(group)}", style="bold reverse" if group else "dim")
            yield heading_cells(heading), f"section:{title_key}"
            for item in group[:SECTION_ROWS]:
                row_key = f"{item.customer_id}|{item.source_key}|{item.occurrence.isoformat()}"
                found[row_key] = item
                who = listed_name(item.name, item.honorific)
                customer = Text("⚠ ", style="bold red") if item.at_risk else Text()
                customer.append_text(plain(who))
                customer.no_wrap, customer.overflow = True, "ellipsis"
                if item.company:
                    customer.append(f" · {item.company}", style="dim")
                day = plain(day_label(item.due, self.today), "bold red" if item.due < self.today else "")
                approach = approach_for(item, lang)
                cells = (
                    day,
                    plain(kind_label(item.kind)),
                    customer,
                    disc_badge(item.disc, short=self.narrow),
                    plain(reason_text(item)),
                    plain(approach, "italic"),
                )
                yield cells, row_key
            if len(group) > SECTION_ROWS:
                more = Text(t("today.more", n=len(group) - SECTION_ROWS), style="dim")
                yield heading_cells(more), f"more:{title_key}"

    def actionable_row(self, table: DataTable[Text], start: int) -> int:
        """The first row at or after ``start`` that d, s or Enter can act on, not a heading."""
        for index in range(start, table.row_count):
            if self.actionable(str(table.coordinate_to_cell_key((index, 0)).row_key.value)):
                return index
        return start

    def actionable(self, key: str) -> bool:
        return key in self.items or key.startswith("visit:")

    def step_over_heading(self, table: DataTable[Text], row: int) -> bool:
        """The cursor never rests on a band's heading, where d, s and Enter would do nothing:
        it goes on in the direction it was moving (or back, at the end of the list)."""
        came_from, self.cursor_was = self.cursor_was, row
        if self.actionable(str(table.coordinate_to_cell_key((row, 0)).row_key.value)):
            return False
        step = 1 if row >= came_from else -1
        for direction in (step, -step):
            index = row + direction
            while 0 <= index < table.row_count:
                if self.actionable(str(table.coordinate_to_cell_key((index, 0)).row_key.value)):
                    table.move_cursor(row=index)
                    return True
                index += direction
        return False

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The full story of the highlighted row, which the columns may have cut short."""
        from kequ.domain.agenda.reasons import kind_label, reason_text
        from kequ.domain.agenda.suggest import approach_for

        if self.step_over_heading(event.data_table, event.cursor_row):
            return
        item = self.items.get(str(event.row_key.value))
        detail = self.query_one("#detail", Static)
        if item is None:
            detail.update(plain(t("today.empty_book")) if self.empty_book else "")
            return
        line = plain(f"{kind_label(item.kind)} · {display_name(item.name, item.honorific)}")
        if item.company:
            line.append(f" · {item.company}")
        line.append(f" · {t(f'vocab.tier.{item.tier}')}")
        line.append(f" · {t('today.due_on', day=item.due.isoformat())}\n", style="dim")
        line.append(reason_text(item), style="bold")
        line.append("\n")
        line.append_text(disc_badge(item.disc))
        line.append(" " + approach_for(item, language(), full=True), style="italic")
        detail.update(line)

    def selected_key(self) -> str | None:
        """The row the keys act on: the cursor's, or the first item under a heading it is on
        (a key pressed right after the cursor arrived there, before it stepped over)."""
        table = self.query_one("#agenda", DataTable)
        if table.row_count == 0:
            return None
        row = self.actionable_row(table, table.cursor_row)
        return str(table.coordinate_to_cell_key((row, 0)).row_key.value)

    def selected(self) -> DueItem | None:
        key = self.selected_key()
        return None if key is None else self.items.get(key)

    def action_refresh(self) -> None:
        self.load()

    def action_sync(self) -> None:
        from kequ.services.sync import sync_state

        if not sync_state(self.db).server_url:
            self.notify(t("sync.no_server"), markup=False, severity="warning")
            return
        self.notify(t("sync.running"), markup=False)
        self.run_sync()

    @work(thread=True, exclusive=True, group="sync")
    def run_sync(self) -> None:
        from kequ.errors import KequError
        from kequ.services import sync as service

        state = service.sync_state(self.db)
        url, user = state.server_url or "", state.user or ""
        password = service.stored_password(url, user)
        if password is None:
            self.app.call_from_thread(self.notify, t("sync.needs_password"), markup=False, severity="warning")
            return
        try:
            with service.server_remote(url, user, password) as remote:
                report = service.sync(self.db, remote, server_url=url, user=user)
        except KequError as error:
            self.app.call_from_thread(self.notify, error.message(), markup=False, severity="error")
            return
        self.app.call_from_thread(self.notify, "\n".join(report.lines()), markup=False)
        self.app.call_from_thread(self.load)

    def refresh_quietly(self) -> None:
        if self.loaded is not None and self.is_current and not self.app.screen.is_modal:
            self.load()

    def on_screen_resume(self) -> None:
        # Back from a profile or the customer list: something may have been logged there.
        if self.loaded is not None:
            self.load()

    @property
    def narrow(self) -> bool:
        return self.laid_out_for < NARROW_SCREEN

    def put(self, table: DataTable[Text], cells: tuple[Text, ...], key: str) -> None:
        """A row of as many cells as the table has columns (the approach is the last, and
        leaves a narrow screen's table)."""
        table.add_row(*cells[: len(table.columns)], key=key)

    def visit_rows(self, lang: str) -> Iterator[tuple[tuple[Text, ...], str]]:
        """On a trip day, the day's visits sit above everything, in the order of the day."""
        from kequ.domain.disc import approach as disc_approach

        if not self.visits:
            return
        heading = Text(f"── {t('today.section.visits')} {len(self.visits)}", style="bold reverse")
        yield heading_cells(heading), "section:visits"
        for visit in self.visits:
            who = plain(visit.customer_name)
            if visit.company:
                who.append(f" · {visit.company}", style="dim")
            done = visit.status == "done"
            cells = (
                plain(visit.time or "--:--", "dim" if done else "bold"),
                plain(t("vocab.kind.visit")),
                who,
                disc_badge(visit.disc, short=self.narrow),
                plain(t("today.visit_done") if done else (visit.purpose or visit.place)),
                plain(disc_approach(visit.disc, "visit", lang), "italic"),
            )
            yield cells, f"visit:{visit.id}"

    def selected_visit(self) -> VisitView | None:
        key = self.selected_key()
        return next((v for v in self.visits if f"visit:{v.id}" == key), None)

    def action_open(self) -> None:
        from kequ.ui.screens.customers.profile import ProfileScreen

        visit = self.selected_visit()
        if visit is not None:
            self.write_up(visit)
            return
        item = self.selected()
        if item is not None:
            self.app.push_screen(ProfileScreen(item.customer_id, self.today))

    def write_up(self, visit: VisitView) -> None:
        """After the visit: what was learned and the next step, logged in one go."""
        from kequ.ui.screens.trips.forms import WriteUpPrompt

        def after(saved: object) -> None:
            if saved:
                self.load()

        self.app.push_screen(WriteUpPrompt(visit, self.today), after)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_log(self) -> None:
        from kequ.ui.dialogs.log import LogEntry, LogPrompt

        item = self.selected()
        if item is None:
            return

        def after(entry: LogEntry | None) -> None:
            if entry is not None:
                self.act("log", item, entry)

        self.app.push_screen(LogPrompt(address_as(item.name, item.honorific), self.today, item.kind), after)

    def action_complaint(self) -> None:
        """Open this customer's complaint, or start one, in the nine-step wizard."""
        item = self.selected()
        if item is None:
            return
        if sources.origin(item.source_key) == sources.COMPLAINT:
            self.app.open_complaint(complaint_id=int(sources.reference(item.source_key)))  # type: ignore[attr-defined]
        else:
            self.app.open_complaint(customer_id=item.customer_id)  # type: ignore[attr-defined]

    def action_copy(self) -> None:
        """The suggested message for this person and occasion, onto the clipboard (OSC 52)."""
        item = self.selected()
        if item is not None:
            self.copy_message(item)

    @work(thread=True, exclusive=True, group="copy")
    def copy_message(self, item: DueItem) -> None:
        from kequ.domain.agenda.suggest import message_for
        from kequ.services.settings import me
        from kequ.services.templates_store import list_user_templates

        name, signature = me(self.db)
        # The user's own templates win over the built-in ones for the same occasion;
        # each kind of touch has its own words, signed with my name when one is set.
        custom = list_user_templates(self.db)
        message = message_for(item, language(), my_name=name, signature=signature, custom=custom)
        self.app.call_from_thread(self.show_copied, message)

    def show_copied(self, message: str) -> None:
        """The message stays in the line under the list, whole, until the cursor moves: no
        toast, which would sit on top of the very line that shows what was copied."""
        self.app.copy_to_clipboard(message)
        copied = plain(t("today.copied", message=message))
        copied.no_wrap = False
        self.query_one("#detail", Static).update(copied)

    def action_goto_day(self) -> None:
        from kequ.ui.dialogs.prompts import DayPrompt

        def after(day: date | None) -> None:
            if day is not None:
                self.today = day
                self.load()

        self.app.push_screen(DayPrompt(self.today), after)

    def action_done(self) -> None:
        from kequ.ui.dialogs.prompts import OutcomePrompt

        item = self.selected()
        if item is None:
            return
        if item.kind == "complaint":  # closed in the wizard, with its resolution
            self.action_complaint()
            return

        def finish(outcome: str | None) -> None:
            if outcome is not None:
                self.act("done", item, outcome)

        self.app.push_screen(OutcomePrompt(item), finish)

    def action_snooze(self) -> None:
        from kequ.ui.dialogs.prompts import SnoozePrompt

        item = self.selected()
        if item is None:
            return

        def finish(until: date | None) -> None:
            if until is not None:
                self.act("snooze", item, until)

        self.app.push_screen(SnoozePrompt(self.today), finish)

    def act(self, what: str, item: DueItem, value: object) -> None:
        from kequ.services import agenda as service
        from kequ.services.contacts import log_interaction
        from kequ.ui.dialogs.log import LogEntry

        def change(db: Database) -> None:
            if what == "done":
                service.complete(db, item, str(value), today=self.today)
            elif isinstance(value, LogEntry):
                log_interaction(db, item.customer_id, value.kind, value.day, value.note, value.outcome)
            else:
                service.snooze(db, item, value)  # type: ignore[arg-type]

        self.run_change(change, group="agenda-write", done=f"today.{what}_ok")
