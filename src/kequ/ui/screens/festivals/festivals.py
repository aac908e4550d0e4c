"""节日问候: the coming festivals, and greeting everyone for one of them, person by person.

The list says when each festival is, how many customers are greeted so far and what the
public holiday looks like (a customer on a nine-day break reads WeChat, not e-mail). The
run walks through the customers still to greet, key customers first, with the message
already written for each one's type and tone; marking one sent logs it and moves on, so
the run can be left at any point and picked up later where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, ProgressBar, Static, TextArea

from kequ.domain.values import weekday_name
from kequ.i18n import language, t
from kequ.storage import clock
from kequ.ui.base import KequScreen
from kequ.ui.styles import css_beside
from kequ.ui.widgets.badges import disc_badge, plain
from kequ.ui.widgets.footer import KequFooter

if TYPE_CHECKING:  # the ORM loads with the data, in the workers, after the first frame
    from kequ.services.greetings import FestivalRow, GreetRow, GreetRun
    from kequ.storage.database import Database

DONE, SKIPPED, NOT_THIS_YEAR = "done", "skipped", "not_this_year"
STATE_LABELS = {
    DONE: ("festivals_ui.run.sent", "bold green"),
    SKIPPED: ("festivals_ui.run.skipped", "bold yellow"),
    NOT_THIS_YEAR: ("festivals_ui.run.not_this_year", "bold yellow"),
}
HOLIDAY_MIN = 30
# What the date, festival, when and greeted columns take, cell padding included.
OTHER_COLUMNS = 62
COLUMNS = (
    ("festivals_ui.col.date", 11),
    ("festivals_ui.col.festival", 22),
    ("festivals_ui.col.left", 9),
    ("festivals_ui.col.greet", 8),
    ("festivals_ui.col.holiday", None),  # the rest of the terminal, set in on_resize
)


def when_text(days_left: int) -> str:
    if days_left == 0:
        return t("festivals_ui.today")
    if days_left < 0:
        return t("festivals_ui.days_ago", n=-days_left)
    return t("festivals_ui.days_left", n=days_left)


class FestivalsScreen(KequScreen[None]):
    """The festivals of the next three months; Enter greets everyone for the highlighted one."""

    DEFAULT_CSS = css_beside(__file__, "festivals_screen.tcss")

    BINDINGS = [
        Binding("enter,g", "greet", t("festivals_ui.key.greet"), id="festivals.greet", key_display="⏎/g"),
        Binding("r", "refresh", t("key.refresh"), id="festivals.refresh"),
    ]

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self.today = today or clock.today()
        self.rows: dict[str, FestivalRow] = {}
        self.loaded: list[FestivalRow] | None = None
        self.holiday_width = 0
        self.coverage_lines: list[tuple[str, bool]] = []
        self.summary = ""
        self._warned: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("festivals_ui.loading"), id="fest-summary")
        table: DataTable[Text] = DataTable(id="festivals", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="fest-detail")
        yield Static("", id="fest-coverage")
        yield KequFooter()

    def on_mount(self) -> None:
        self.title = t("festivals_ui.title")
        self.call_after_refresh(self.load)

    def on_resize(self) -> None:
        """The holiday column takes what the terminal has left: its notes are the long ones."""
        width = max(HOLIDAY_MIN, self.size.width - OTHER_COLUMNS)
        if width != self.holiday_width:
            self.holiday_width = width
            table = self.query_one("#festivals", DataTable)
            table.clear(columns=True)
            for key, fixed in COLUMNS:
                table.add_column(t(key), key=key, width=fixed or width)
            if self.loaded is not None:
                self.show(self.loaded, self.coverage_lines, [], self.summary)

    @work(thread=True, exclusive=True, group="festivals")
    def load(self) -> None:
        from kequ.domain.calendar.holidays import coverage
        from kequ.services import greetings as service

        db = self.db
        rows = service.upcoming_festivals(db, self.today)
        folder = service.holiday_dir(self.db.path)
        lines: list[tuple[str, bool]] = []
        for year in sorted({row.date.year for row in rows} or {self.today.year}):
            found = coverage(year, folder)
            lines.append((found.message(folder=folder), found.known))
        problems = service.holiday_problems(self.db.path)
        lines.extend((problem, False) for problem in problems)
        tiers = service.tier_names(service.greeted_tiers(db))
        summary = t(
            "festivals_ui.summary",
            day=self.today.isoformat(),
            days=service.UPCOMING_DAYS,
            count=len(rows),
            tiers=tiers,
        )
        self.app.call_from_thread(self.show, rows, lines, problems, summary)

    def show(
        self, rows: list[FestivalRow], coverage_lines: list[tuple[str, bool]], problems: list[str], summary: str
    ) -> None:
        from kequ.services.greetings import UPCOMING_DAYS

        self.coverage_lines, self.summary = coverage_lines, summary
        table = self.query_one("#festivals", DataTable)
        keep_row = table.cursor_row
        table.clear()
        self.loaded = rows
        self.rows = {}
        self.query_one("#fest-summary", Static).update(plain(summary))
        for row in rows:
            row_key = f"{row.key}|{row.date.isoformat()}"
            self.rows[row_key] = row
            dim = "" if row.in_list else "dim"
            name = plain(row.name, "bold" if row.in_list else "dim")
            if not row.in_list:
                name.append(f" · {t('festivals_ui.not_in_list')}", style="dim italic")
            count = t("festivals_ui.greet_count", done=row.done, total=row.total)
            count_style = "green" if row.total and row.done == row.total else dim
            holiday_style = {"off": "bold", "unpublished": "yellow"}.get(row.holiday.status, "dim")
            table.add_row(
                plain(f"{row.date.strftime('%m-%d')} {weekday_name(row.date)}", dim),
                name,
                plain(when_text(row.days_left), dim),
                plain(count, count_style),
                plain(row.holiday.short(), holiday_style),
                key=row_key,
            )
        coverage = Text()
        for i, (line, fine) in enumerate(coverage_lines):
            if i:
                coverage.append("\n")
            coverage.append(line, style="" if fine else "yellow")
        self.query_one("#fest-coverage", Static).update(coverage)
        # A refused holiday file is worth one toast, not one per refresh; the line stays.
        for problem in problems:
            if problem not in self._warned:
                self._warned.add(problem)
                self.notify(problem, severity="warning", markup=False, timeout=10)
        if not rows:
            self.query_one("#fest-detail", Static).update(plain(t("festivals_ui.empty", days=UPCOMING_DAYS)))
        elif table.row_count:
            table.move_cursor(row=min(keep_row, table.row_count - 1))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.rows.get(str(event.row_key.value))
        detail = self.query_one("#fest-detail", Static)
        if row is None:
            detail.update("")
            return
        line = Text(
            t(
                "festivals_ui.detail",
                festival=row.name,
                day=row.date.isoformat(),
                weekday=weekday_name(row.date),
                done=row.done,
                left=row.left,
            ),
            "bold",
        )
        if row.skipped:
            line.append(t("festivals_ui.detail_skipped", n=row.skipped), style="bold")
        if not row.in_list:
            line.append(t("festivals_ui.detail_not_in_list"), style="dim")
        if row.mourning:
            line.append(t("festivals_ui.detail_mourning", n=row.mourning), style="dim")
        line.append("\n")
        line.append(row.holiday.long())
        detail.update(line)

    def selected(self) -> FestivalRow | None:
        table = self.query_one("#festivals", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.rows.get(str(row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_greet()

    def action_greet(self) -> None:
        row = self.selected()
        if row is None:
            return

        self.app.push_screen(GreetingRun(row.key, row.date, self.today))

    def on_screen_resume(self) -> None:
        # Back from a run, or from Today where a greeting may have been marked done.
        if self.loaded is not None:
            self.load()

    def action_refresh(self) -> None:
        self.load()


class GreetingRun(KequScreen[bool]):
    """Greeting everyone for one festival occurrence. Dismissed with True if anything was written."""

    DEFAULT_CSS = css_beside(__file__, "greeting_run.tcss")

    # Priority: the message box has focus and would keep page keys and escape for itself.
    # ctrl+o copies because the box uses ctrl+y for redo and ctrl+c for the selection.
    BINDINGS = [
        Binding("ctrl+s", "send", t("festivals_ui.key.send"), id="greeting.send", priority=True),
        Binding("ctrl+o", "copy", t("festivals_ui.key.copy"), id="greeting.copy", priority=True),
        Binding("ctrl+n", "skip", t("festivals_ui.key.skip"), id="greeting.skip", priority=True),
        Binding(
            "ctrl+t",
            "not_this_year",
            t("festivals_ui.key.not_this_year"),
            id="greeting.not_this_year",
            priority=True,
        ),
        Binding("pagedown", "next", t("festivals_ui.key.next"), id="greeting.next", key_display="PgDn", priority=True),
        Binding(
            "pageup",
            "previous",
            t("festivals_ui.key.previous"),
            id="greeting.previous",
            key_display="PgUp",
            priority=True,
        ),
        Binding("ctrl+r", "reset", t("festivals_ui.key.reset"), id="greeting.reset", priority=True),
        Binding("escape", "leave", t("festivals_ui.key.leave"), id="greeting.leave", priority=True),
    ]

    def __init__(self, festival_key: str, occurrence: date, today: date | None = None) -> None:
        super().__init__()
        self.festival_key = festival_key
        self.occurrence = occurrence
        self.today = today or clock.today()
        self.rows: Sequence[GreetRow] = []  # this round: the ones not sent (nor put off) when it started
        self.status: dict[int, str] = {}  # what was done in this round
        self.before: dict[int, str] = {}  # what had been done before it: DONE, SKIPPED, NOT_THIS_YEAR
        self.templates: dict[int, str] = {}  # the messages written so far, by customer
        self.compose_message: Callable[[GreetRow], str] | None = None  # one person's message
        self.texts: dict[int, str] = {}  # edits, kept while moving back and forth
        self.total = 0
        self.index = 0
        self.at_end = False
        self.changed = False
        self.busy = False
        self.tiers = ""
        self.loaded: Sequence[GreetRow] | None = None
        self._showing: int | None = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="gr-head"):
            yield Static("", id="gr-festival")
            yield ProgressBar(id="gr-bar", show_eta=False, show_percentage=False)
            yield Static(t("festivals_ui.loading"), id="gr-progress")
            yield Static("", id="gr-position")
        with Vertical(id="gr-person"):
            yield Static("", id="gr-who")
            yield Static("", id="gr-approach")
            yield Static(t("festivals_ui.run.message"), id="gr-label")
            yield TextArea("", id="gr-message", soft_wrap=True)
            yield Static(t("festivals_ui.run.hint"), id="gr-hint")
        yield Static("", id="gr-end")
        yield KequFooter()

    def on_mount(self) -> None:
        from kequ.domain.templates import occasion_label

        self.title = t("festivals_ui.run.title", festival=occasion_label(self.festival_key))
        when = (self.occurrence - self.today).days
        head = t(
            "festivals_ui.run.head",
            festival=occasion_label(self.festival_key),
            day=f"{self.occurrence.isoformat()} {weekday_name(self.occurrence)}",
            when=when_text(when),
        )
        self.query_one("#gr-festival", Static).update(plain(head))
        self.call_after_refresh(self.load)

    # ------------------------------------------------------------------ data

    @work(thread=True, exclusive=True, group="greeting-load")
    def load(self) -> None:
        from kequ.errors import KequError
        from kequ.services import greetings as service
        from kequ.services.settings import me

        db = self.db
        try:
            # Its counts, and the first page of people: the rest are read as the run reaches them.
            run = service.greet_run(db, self.festival_key, self.occurrence)
            custom = service.user_templates(db, self.festival_key)
            name, signature = me(db)
        except KequError as error:
            self.app.call_from_thread(self._failed, error.message())
            return
        lang = language()
        key, day = self.festival_key, self.occurrence

        # Each message is written when its person is first shown: a run of thousands of
        # customers opens on the first one instead of after writing every message.
        def write(row: GreetRow) -> str:
            return service.greeting_message(row, key, day, lang, my_name=name, signature=signature, custom=custom)

        tiers = service.tier_names(service.greeted_tiers(db))
        self.app.call_from_thread(self._loaded, run, write, tiers)

    def _failed(self, message: str) -> None:
        self.loaded = []
        self._end(message)
        self.notify(message, severity="error", markup=False)

    def _loaded(self, run: GreetRun, write: Callable[[GreetRow], str], tiers: str) -> None:
        from kequ.services import greetings as service

        # The ones never looked at first; the ones skipped in an earlier run come round again.
        pending = run.pending
        self.rows = pending
        self.templates = {}
        self.compose_message = write
        self.total = run.total
        self.before = {
            row.customer_id: DONE if row.status == service.SENT else NOT_THIS_YEAR if row.not_this_year else SKIPPED
            for row in run.handled
        }
        self.tiers = tiers
        self.loaded = pending
        self.index = 0
        if pending:
            self._show_person()
        else:
            self._finish()

    def template_for(self, row: GreetRow) -> str:
        """The festival's message for this person, written the first time it is asked for."""
        found = self.templates.get(row.customer_id)
        if found is None:
            found = "" if self.compose_message is None else self.compose_message(row)
            self.templates[row.customer_id] = found
        return found

    def _states(self) -> dict[int, str]:
        return {**self.before, **self.status}

    @property
    def sent(self) -> int:
        return sum(1 for state in self._states().values() if state == DONE)

    @property
    def skipped(self) -> int:
        """Skipped, now or in an earlier run, and not sent since: counted apart from the sent."""
        return sum(1 for state in self._states().values() if state != DONE)

    @property
    def handled(self) -> int:
        return self.sent + self.skipped

    def current(self) -> GreetRow | None:
        if self.at_end or not self.rows:
            return None
        return self.rows[self.index]

    # ------------------------------------------------------------------ showing

    def _update_progress(self) -> None:
        bar = self.query_one("#gr-bar", ProgressBar)
        bar.update(total=max(self.total, 1), progress=self.handled)
        self.query_one("#gr-progress", Static).update(plain(self.progress_text()))
        position = "" if self.at_end else t("festivals_ui.run.position", i=self.index + 1, n=len(self.rows))
        self.query_one("#gr-position", Static).update(plain(position, "dim"))

    def progress_text(self) -> str:
        """已问候 2/27, or 已问候 2 · 跳过 1 / 27 once someone was skipped."""
        if self.skipped:
            return t("festivals_ui.run.progress_skipped", sent=self.sent, skipped=self.skipped, total=self.total)
        return t("festivals_ui.run.progress", sent=self.sent, total=self.total)

    def _show_person(self) -> None:
        from kequ.domain.disc import approach
        from kequ.domain.gender import known_gender

        self._keep_text()
        self.at_end = False
        self.remove_class("-end")
        row = self.rows[self.index]
        who = plain(row.who, "bold")
        if row.honorific and row.honorific != row.name:
            who.append_text(plain(f"（{row.name}）"))
        if row.company:
            who.append_text(plain(f"  {row.company}", "dim"))
        who.append("  ")
        who.append_text(disc_badge(row.disc))
        who.append(f"  {t('festivals_ui.run.tier', tier=t(f'vocab.tier.{row.tier}'))}")
        state = self.status.get(row.customer_id)
        if state is not None:
            key, style = STATE_LABELS[state]
            who.append("  ")
            who.append(t(key), style=style)
        elif self.before.get(row.customer_id) == SKIPPED:
            who.append(f"  {t('festivals_ui.run.skipped_before')}", style="yellow")
        self.query_one("#gr-who", Static).update(who)
        line = Text(t("festivals_ui.run.approach"), style="bold")
        gender = known_gender(row.gender, row.honorific).gender
        line.append(approach(row.disc, "festival", language(), gender=gender), style="italic")
        self.query_one("#gr-approach", Static).update(line)
        area = self.query_one("#gr-message", TextArea)
        kept = self.texts.get(row.customer_id)  # an edit, even one emptied, wins
        area.load_text(self.template_for(row) if kept is None else kept)
        area.read_only = state == DONE
        # Most edits add a line at the end (a word about last year's work), so start there.
        area.move_cursor(area.document.end)
        self._showing = row.customer_id
        area.focus()
        self._update_progress()
        self.refresh_bindings()

    def _end(self, message: str) -> None:
        self._keep_text()
        self.at_end = True
        self._showing = None
        self.add_class("-end")
        # The hidden message box must not keep taking keys (and "1" or "2" should switch screens).
        self.set_focus(None)
        self.query_one("#gr-end", Static).update(Text(message))
        self._update_progress()
        self.refresh_bindings()

    def _finish(self) -> None:
        from kequ.domain.templates import occasion_label

        festival = occasion_label(self.festival_key)
        if self.total == 0:
            self._end(t("festivals_ui.run.empty", festival=festival, tiers=self.tiers))
        else:
            self._end(t("festivals_ui.run.finished", festival=festival, progress=self.progress_text()))

    def _keep_text(self) -> None:
        if self._showing is not None:
            self.texts[self._showing] = self.query_one("#gr-message", TextArea).text

    def _advance(self) -> None:
        """On to the next one not yet handled, wrapping round; the end when there is none."""
        n = len(self.rows)
        for step in range(1, n + 1):
            i = (self.index + step) % n
            if self.rows[i].customer_id not in self.status:
                self.index = i
                self._show_person()
                return
        self._finish()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("send", "copy", "skip", "not_this_year", "reset", "next"):
            if self.current() is None:
                return False
            if action == "next":
                return self.index < len(self.rows) - 1 or None
            if action == "reset":
                return self.status.get(self.rows[self.index].customer_id) != DONE or None
        if action == "previous":
            return (bool(self.rows) and (self.at_end or self.index > 0)) or None
        return True

    # ------------------------------------------------------------------ actions

    def action_next(self) -> None:
        if self.current() is not None and self.index < len(self.rows) - 1:
            self.index += 1
            self._show_person()

    def action_previous(self) -> None:
        if not self.rows:
            return
        if self.at_end:
            self._show_person()
        elif self.index > 0:
            self.index -= 1
            self._show_person()

    def action_copy(self) -> None:
        if self.current() is None:
            return
        self.app.copy_to_clipboard(self.query_one("#gr-message", TextArea).text)
        self.notify(t("festivals_ui.run.copied"), markup=False)

    def action_reset(self) -> None:
        row = self.current()
        if row is None or self.status.get(row.customer_id) == DONE:
            return
        self.texts.pop(row.customer_id, None)
        area = self.query_one("#gr-message", TextArea)
        area.load_text(self.template_for(row))
        area.move_cursor(area.document.end)

    def action_send(self) -> None:
        row = self.current()
        if row is None or self.busy:
            return
        if self.status.get(row.customer_id) == DONE:
            self._advance()
            return
        self.busy = True
        self.write(DONE, row, self.query_one("#gr-message", TextArea).text)

    def action_skip(self) -> None:
        """Not now: counted as skipped, offered again in the next run."""
        self._skip(SKIPPED)

    def action_not_this_year(self) -> None:
        """Not this festival at all this year: skipped, and not offered again."""
        self._skip(NOT_THIS_YEAR)

    def _skip(self, what: str) -> None:
        row = self.current()
        if row is None or self.busy:
            return
        if self.status.get(row.customer_id) == DONE:
            self.notify(t("festivals_ui.run.already_sent", who=row.who), severity="warning", markup=False)
            return
        self.busy = True
        self.write(what, row, "")

    def action_leave(self) -> None:
        self._keep_text()
        self.dismiss(self.changed)

    def write(self, what: str, row: GreetRow, message: str) -> None:
        from kequ.services import greetings as service

        def change(db: Database) -> None:
            if what == DONE:
                service.mark_greeted(db, row.customer_id, self.festival_key, self.occurrence, message, self.today)
            else:
                service.skip_greeting(
                    db, row.customer_id, self.festival_key, self.occurrence, not_this_year=what == NOT_THIS_YEAR
                )

        self.run_change(
            change,
            group="greeting-write",
            then=lambda _: self._written(what, row),
            reload=False,
            on_refusal=self._write_failed,
        )

    def _write_failed(self, message: str) -> None:
        self.busy = False
        self.notify(message, severity="error", markup=False)

    def _written(self, what: str, row: GreetRow) -> None:
        self.busy = False
        self.changed = True
        self.status[row.customer_id] = what
        key = f"festivals_ui.run.{what}_ok"
        self.notify(t(key, who=row.who), markup=False)
        if self.current() is row:
            self._advance()
        else:
            self._update_progress()
