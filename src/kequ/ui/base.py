"""What every kequ screen and dialog shares: the app's one book, and how a change to it runs.

A screen never opens the database itself: `self.db` is the app's. A change runs through
`run_change`, which does the work off the UI thread, shows a refusal (a `KequError`) in one
line, says what was done, and reads the screen again: the same four steps everywhere, so a
screen only says what differs.

Escape leaves every dialog under one binding id: a user who remaps Cancel
(``"dialog.cancel" = "ctrl+g"`` in keys.toml) does it once, for every dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import events
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input

from kequ.errors import KequError
from kequ.i18n import t

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel

    from kequ.storage.database import Database

ResultT = TypeVar("ResultT")
Made = TypeVar("Made")

CANCEL_ID = "dialog.cancel"
# Below this many columns (half a laptop screen) screens close up what they can.
NARROW_SCREEN = 100


class UsesBook:
    """The app's database, a way to read again, and one way to change the book."""

    app: App[object]
    # The day the screen shows, for screens that show one; an app left open overnight
    # moves those still on the day that ended.
    today: date | None = None
    # The app's count of stylesheet changes when the screen's widgets were styled as they
    # mounted; None once the screen has been left for another (see _on_screen_resume).
    _styled_by: int | None = None

    @property
    def db(self) -> Database:
        return self.app.db  # type: ignore[attr-defined]

    def load(self) -> None:
        """Read again what the screen shows; screens that show the book say how."""

    def _on_resize(self) -> None:
        # Half a laptop screen: the footer closes up and leaves out ^p (help lists it), so
        # quit and help stay in sight after the screen's own keys.
        narrow = self.size.width < NARROW_SCREEN  # type: ignore[attr-defined]
        for footer in self.query(Footer):  # type: ignore[attr-defined]
            footer.compact = narrow
            footer.show_command_palette = not narrow

    def _on_mount(self) -> None:
        # Called by name for each class that defines it, so a screen's own on_mount keeps
        # working. Tabbing into a filled box must not select its text: the first key typed would
        # replace a phone number or a note, and forms save a field as it is left.
        for box in self.query(Input):  # type: ignore[attr-defined]
            box.select_on_focus = False
        self._styled_by = self.app._css_update_count  # type: ignore[attr-defined]

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual styles every node of a screen again each time it is shown: twice as a new
        # mode's screen opens, once as a screen or dialog is pushed, though its widgets were
        # styled by the current stylesheet as they mounted a moment before (a quarter to a
        # half of opening Customers at 10k). Until the screen is first left, and while no
        # stylesheet or theme has changed since it mounted, that is skipped. Runs before
        # Screen's own handler; later showings restyle as Textual does.
        if self._styled_by == self.app._css_update_count:  # type: ignore[attr-defined]
            event.refresh_styles = False

    def _on_screen_suspend(self) -> None:
        self._styled_by = None

    def refused(self, problem: KequError, severity: SeverityLevel = "error") -> None:
        """Show a refusal met in a worker thread as a toast."""
        self.app.call_from_thread(self.app.notify, problem.message(), severity=severity, markup=False)

    def read_then_show(self, read: Callable[[Database], Made], show: Callable[[Made], object]) -> None:
        """In a loading worker: read, then show what was read on the UI thread (or the refusal)."""
        try:
            made = read(self.db)
        except KequError as problem:
            self.refused(problem)
            return
        self.app.call_from_thread(show, made)

    def run_change(
        self,
        change: Callable[[Database], Made],
        *,
        group: str,
        done: str | None = None,
        then: Callable[[Made], object] | None = None,
        reload: bool = True,
        on_refusal: Callable[[str], object] | None = None,
        severity: SeverityLevel = "error",
    ) -> None:
        """Run one use case in a worker: a refusal is shown (in `on_refusal` if given, else as a
        toast) and nothing else happens; otherwise `done` is said, `then` gets the result, and
        the screen reads again."""

        def job() -> None:
            try:
                made = change(self.db)
            except KequError as problem:
                if on_refusal is None:
                    self.refused(problem, severity)
                else:
                    self.app.call_from_thread(on_refusal, problem.message())
                return
            if done is not None:
                self.app.call_from_thread(self.app.notify, t(done), markup=False)
            if then is not None:
                self.app.call_from_thread(then, made)
            if reload:
                # Started from the UI thread and before this worker ends: whoever waits for
                # the workers to finish also waits for the screen to be read again.
                self.app.call_from_thread(self.load)

        self.run_worker(job, thread=True, group=group)  # type: ignore[attr-defined]


class KequScreen(UsesBook, Screen[ResultT]):
    """A full screen over the book."""


class Dialog(UsesBook, ModalScreen[ResultT]):
    """A small form over a screen; Escape leaves it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", t("key.cancel"), id=CANCEL_ID)]
    # What leaving returns to the screen below: nothing chosen, or nothing saved.
    CANCELLED: ClassVar[object] = None

    def action_cancel(self) -> None:
        self.dismiss(self.CANCELLED)  # type: ignore[arg-type]


def reload_if_shown(screen: Screen[object]) -> None:
    """Read a screen again if it shows the book and is on the terminal's stack."""
    if isinstance(screen, UsesBook) and screen.is_mounted:
        screen.load()
