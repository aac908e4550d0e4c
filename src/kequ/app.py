"""The Textual application: a shell of screens over the use cases.

Nothing heavy is imported here: the ORM loads inside the screens' workers, after the
first frame is on the screen.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from kequ.i18n import t
from kequ.screens.today import TodayScreen


class KequApp(App[None]):
    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "客情 kequ"
    BINDINGS = [
        Binding("ctrl+q", "quit", t("key.quit"), id="quit", priority=True),
    ]

    def __init__(self, db_path: Path, today: date | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        # Fixed only by tests and demos; otherwise each screen asks the clock.
        self.today = today
        self.sub_title = db_path.name

    def on_mount(self) -> None:
        self.push_screen(TodayScreen(self.db_path, today=self.today))
