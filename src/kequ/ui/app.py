"""The Textual application: a shell of screens over the use cases.

Nothing heavy is imported here: the ORM loads inside the screens' workers, after the
first frame is on the screen.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from textual.command import Provider

from kequ.i18n import t
from kequ.storage import clock
from kequ.storage.database import Database
from kequ.ui.base import UsesBook, reload_if_shown
from kequ.ui.screens.today.today import TodayScreen
from kequ.ui.widgets.keys import key_label

MODES = ("today", "customers", "complaints", "festivals", "trips", "review")


def _kequ_commands() -> type[Provider]:
    """The palette's commands, imported when it first opens (pinyin search is not light)."""
    from kequ.ui.palette import KequCommands

    return KequCommands


# The daily copy waits for the first screen's reads, looking this often, at most this long.
BACKUP_POLL_SECONDS = 0.1
BACKUP_WAIT_SECONDS = 30.0
# From this many items on Today, what the first screen read is moved out of the cycle
# collector's sight (see freeze_what_is_read).
FREEZE_AT = 5_000


class KequApp(App[None]):
    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "客情 kequ"
    DEFAULT_MODE = "today"
    # The footer keeps to the screen's own keys, help and quit (at 100 columns there is
    # no room for more); screens and templates are listed in help and the palette.
    COMMANDS = {_kequ_commands}
    BINDINGS = [
        Binding("ctrl+q", "quit", t("key.quit"), id="quit", priority=True),
        # Declared here, not left to Textual, so the footer says it in the user's language.
        Binding("ctrl+p", "command_palette", t("palette.open"), id="palette", show=False, priority=True),
        Binding("1", "go('today')", t("key.today"), id="mode.today", show=False),
        Binding("2", "go('customers')", t("key.customers"), id="mode.customers", show=False),
        Binding("3", "go('complaints')", t("key.complaints"), id="mode.complaints", show=False),
        Binding("4", "go('festivals')", t("key.festivals"), id="mode.festivals", show=False),
        Binding("5", "go('trips')", t("key.trips"), id="mode.trips", show=False),
        Binding("6", "go('review')", t("key.review"), id="mode.review", show=False),
        Binding("m", "templates", t("key.templates"), id="templates", show=False),
        Binding("i", "import_customers", t("import_ui.key.app"), id="app.import", show=False),
        Binding("colon", "capture", t("key.capture"), id="app.capture", key_display=":", show=False),
        Binding("comma", "settings", t("key.settings"), id="settings", key_display=",", show=False),
        Binding("question_mark,f1", "help", t("key.help"), id="help"),
    ]

    # How often an app left open checks whether midnight has passed.
    DAY_CHECK_SECONDS = 30.0

    def __init__(self, db_path: Path, today: date | None = None, complaint_for: int | None = None) -> None:
        super().__init__()
        # The one handle on the book every screen and dialog uses (`UsesBook.db`).
        self.db = Database(db_path)
        # `kequ complaint NAME` opens straight in the wizard for that customer.
        self.complaint_for = complaint_for
        # Fixed only by tests and demos, and then for the whole process, so that what a
        # service stamps falls on the day the screens show.
        if today is not None:
            clock.pin(today)
        self.today = today
        self.day = clock.today()
        self.crash_line = ""
        self.sub_title = db_path.name
        # Today is the first screen of its own mode, built straight away instead of after
        # a blank default screen and a switch (each restyles every widget once more).
        self.add_mode("today", lambda: TodayScreen(today=self.today))
        # Other screens are imported when first opened, not before the first frame.
        self.add_mode("customers", self._customers)
        self.add_mode("complaints", self._complaints)
        self.add_mode("festivals", self._festivals)
        self.add_mode("trips", self._trips)
        self.add_mode("review", self._review)

    def on_mount(self) -> None:
        if self.complaint_for is not None:
            self.open_complaint(customer_id=self.complaint_for)
        self.set_interval(self.DAY_CHECK_SECONDS, self.check_day)

    def check_day(self) -> None:
        """Left open overnight, every screen moves to the new day by itself.

        Each screen was built for a day; those built for the one that just ended take the
        new one and read again (a screen fixed on another day, such as Today after `g`,
        stays where the user put it).
        """
        day = clock.today()
        if day == self.day:
            return
        before, self.day = self.day, day
        for mode in MODES:
            try:
                stack = self.get_screen_stack(mode)
            except KeyError:
                continue
            for screen in stack:
                if isinstance(screen, UsesBook) and screen.today == before:
                    screen.today = day
                    reload_if_shown(screen)

    def _styled(self, screen: Screen[None]) -> Screen[None]:
        """A mode's screen built once the app runs, marked as styled by the stylesheet as it is.

        Textual restyles every screen the app holds, and parses all of its CSS again, twice
        over when a mode's first screen is built (the screen starts "out of date" with the
        app's CSS): 60 to 100 ms of every first open of Complaints, Festivals, Trips... for
        nothing, since no style changed. Its widgets are styled as they mount from the
        current rules, which take in any new widget's CSS by themselves. A change of theme
        still restyles everything (Textual counts it, and this screen would be behind).
        """
        if self._screen_stacks:  # the first screen is the one that sets the stylesheet up
            screen._css_update_count = self._css_update_count
        return screen

    def _customers(self) -> Screen[None]:
        from kequ.ui.screens.customers.customers import CustomersScreen

        return self._styled(CustomersScreen(today=self.today))

    def _complaints(self) -> Screen[None]:
        from kequ.ui.screens.complaints.complaints import ComplaintsScreen

        return self._styled(ComplaintsScreen(today=self.today))

    def _review(self) -> Screen[None]:
        from kequ.ui.screens.review.review import ReviewScreen

        return self._styled(ReviewScreen(today=self.today))

    def _festivals(self) -> Screen[None]:
        from kequ.ui.screens.festivals.festivals import FestivalsScreen

        return self._styled(FestivalsScreen(today=self.today))

    def _trips(self) -> Screen[None]:
        from kequ.ui.screens.trips.trips import TripsScreen

        return self._styled(TripsScreen(today=self.today))

    def open_complaint(self, *, customer_id: int | None = None, complaint_id: int | None = None) -> None:
        """The nine-step wizard; the screen behind reloads if anything was written."""
        from kequ.ui.screens.complaints.wizard import ComplaintWizard

        behind = self.screen

        def after(changed: bool | None) -> None:
            if changed:
                reload_if_shown(behind)

        wizard = ComplaintWizard(customer_id=customer_id, complaint_id=complaint_id, today=self.today)
        self.push_screen(wizard, after)

    def _handle_exception(self, error: Exception) -> None:
        """A failure in kequ's own code: one line saying where the private report is, exit 70.

        Textual would print a traceback with every frame's local variables (names, phones,
        notes) to the terminal, and exit 0. KEQU_DEBUG=1 keeps Textual's own report.
        """
        if os.environ.get("KEQU_DEBUG"):
            super()._handle_exception(error)
            return
        from textual.worker import WorkerFailed

        from kequ.crash import write_crash_report

        # A worker's failure wraps the real one, which is what the maintainer needs.
        cause = error.error if isinstance(error, WorkerFailed) else error
        report = write_crash_report(cause)
        if self._exception is None:  # what run_test re-raises in a test
            self._exception = error
            self._exception_event.set()
        self._return_code = 70
        # Said by run_to_end() once the terminal is back: Textual's error console would wrap
        # the report's path over several lines, and it must stay whole to be copied.
        self.crash_line = t("cli.internal_error", kind=type(cause).__name__, report=report)
        self._close_messages_no_wait()

    def run_to_end(self, **options: Any) -> int:
        """Run until the user quits; the exit code, and the one line about a crash if any."""
        self.run(**options)
        if self.crash_line:
            print(self.crash_line, file=sys.stderr)
        return self.return_code or 0

    def on_app_focus(self) -> None:
        """Back in this terminal: another window may have logged something meanwhile."""
        if isinstance(self.screen, TodayScreen):
            self.screen.refresh_quietly()

    def on_ready(self) -> None:
        self.apply_keymap()
        self.backup_when_shown()

    def backup_when_shown(self, waited: float = 0.0) -> None:
        """The daily copy starts once the first screen has read what it shows: on two cores a
        copy of a big book (and its integrity check) would slow the first screen's read."""
        reading = any(worker.is_running and worker.group != "backup" for worker in self.workers)
        if reading and waited < BACKUP_WAIT_SECONDS:
            self.set_timer(BACKUP_POLL_SECONDS, lambda: self.backup_when_shown(waited + BACKUP_POLL_SECONDS))
            return
        self.freeze_what_is_read()
        self.daily_backup()

    def freeze_what_is_read(self) -> None:
        """A large book's agenda, read for Today, stays as long as the app: moved out of the
        cycle collector's sight (``gc.freeze``), the collector's full passes stop walking it.
        At 100,000 customers each such pass cost 0.4 to 0.5 s of CPU, and one fell in the
        middle of opening Complaints, Festivals or the Review every so often. A small book
        is left alone. (The Customers list freezes what it adds the same way.)"""
        import gc

        try:
            stack = self.get_screen_stack("today")
        except KeyError:
            return
        items = next((screen.loaded for screen in stack if isinstance(screen, TodayScreen)), None)
        if items is not None and len(items) >= FREEZE_AT:
            gc.freeze()

    def apply_keymap(self) -> None:
        """The user's own keys, read after the first frame: nobody types before it."""
        from kequ.errors import KequError
        from kequ.keymap import load_keymap

        try:
            self.set_keymap(load_keymap())
        except KequError as problem:
            self.notify(problem.message(), severity="warning", markup=False, timeout=10)

    @work(thread=True, group="backup", exit_on_error=False)
    def daily_backup(self) -> None:
        """Once a day, off the start-up path; a failure is reported, never fatal."""
        from kequ.storage.backups import backup_if_due

        try:
            backup_if_due(self.db.path)
        except OSError as problem:
            self.call_from_thread(
                self.notify, t("app.backup_failed", detail=str(problem)), severity="warning", markup=False
            )

    def action_templates(self) -> None:
        """The message templates: the built-in ones, and the user's own to add or change."""
        from kequ.ui.screens.templates.templates import TemplatesScreen

        if not isinstance(self.screen, TemplatesScreen):
            self.push_screen(TemplatesScreen(self.today))

    def action_capture(self) -> None:
        """速记, the capture line: one line read as it is typed, saved on Enter. On a profile
        (or in a complaint's wizard) it is about that customer; the screen behind reads again
        once something is saved."""
        from kequ.ui.dialogs.capture import CaptureLine
        from kequ.ui.screens.customers.profile import ProfileScreen

        behind = self.screen
        if isinstance(behind, ModalScreen):
            return  # a dialog is open: it has the keyboard
        from kequ.ui.screens.complaints.wizard import ComplaintWizard

        # A profile's customer, or the complaint's in the wizard (opened there through ctrl+p).
        customer_id = behind.customer_id if isinstance(behind, (ProfileScreen, ComplaintWizard)) else None

        def after(saved: bool | None) -> None:
            if saved:
                if isinstance(behind, ProfileScreen):
                    behind.changed = True
                reload_if_shown(behind)

        self.push_screen(CaptureLine(clock.today() if self.today is None else self.today, customer_id), after)

    def action_settings(self) -> None:
        """My name and signature, the daily first touches, who is greeted at festivals."""
        from kequ.ui.screens.settings.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def action_import_customers(self) -> None:
        """Customers from a file, after a preview the user can correct."""
        from kequ.ui.screens.importer.importer import ImportScreen

        if not isinstance(self.screen, ImportScreen):
            self.push_screen(ImportScreen(), self.after_import)

    def after_import(self, imported: bool | None) -> None:
        """New customers are in: the lists that show them read the database again."""
        if not imported:
            return
        # The list this mode opened with (Today, Customers, ...); Today also reloads itself.
        reload_if_shown(self.screen_stack[0])
        if self.current_mode != "customers":
            # The customer list keeps what it read when first shown; built afresh when next
            # opened, it reads the new customers (a profile left open there closes).
            self.remove_mode("customers")
            self.add_mode("customers", self._customers)

    def action_go(self, mode: str) -> None:
        """A number key opens that screen's list, not whatever was left open over it (a
        profile, a trip's plan): they save as they go, so nothing is lost by closing them."""
        if mode != self.current_mode:
            self.switch_mode(mode)
        if len(self.screen_stack) > 1 and not isinstance(self.screen, ModalScreen):
            while len(self.screen_stack) > 1:
                self.pop_screen()
            reload_if_shown(self.screen)

    def action_help(self) -> None:
        from kequ.ui.screens.help.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=t("palette.placeholder"), id="--command-palette"))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every key of this screen and of the app, searchable in the palette (ctrl+p).

        Textual's own commands (Keys, Change theme, Screenshot...) are left out: they speak
        English only, and help (?) lists every key in the user's language.
        """
        for owner, bindings in ((screen, screen.BINDINGS), (self, self.BINDINGS)):
            for binding in bindings:
                if isinstance(binding, Binding) and binding.description and binding.action != "command_palette":
                    yield SystemCommand(
                        binding.description,
                        t("palette.key", key=key_label(binding)),
                        partial(self.run_action, binding.action, owner),
                    )
