"""设置: who I am and how I work, the same settings as ``kequ config``.

Each setting has its name, a line saying what it does, and a field: text and numbers in
an input, tiers and festivals as a list to tick. ctrl+s checks every field and saves them
all, or none: a value that does not fit is said in red under its field and nothing is
written until it is fixed. Every text shown is a rich ``Text``, never markup.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Input, SelectionList, Static

from kequ.domain.settings import COUNT, SETTINGS, TEXT, SettingSpec, as_text, check
from kequ.errors import KequError
from kequ.i18n import t
from kequ.inert import inert_text
from kequ.ui.base import KequScreen
from kequ.ui.styles import css_beside
from kequ.ui.widgets.footer import KequFooter


def field_id(spec: SettingSpec) -> str:
    """``set-my_name``, ``set-rhythm-key-call``: a widget id takes no dots."""
    return f"set-{spec.key.replace('.', '-')}"


def error_id(spec: SettingSpec) -> str:
    return f"err-{spec.key.replace('.', '-')}"


class SettingsScreen(KequScreen[None]):
    DEFAULT_CSS = css_beside(__file__, "settings_screen.tcss")

    BINDINGS = [
        Binding("ctrl+s", "save", t("settings_ui.key.save"), id="settings.save", priority=True),
        Binding("escape", "back", t("key.back"), id="settings.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.loaded: dict[str, object] | None = None  # the values as last read or saved

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(t("settings_ui.loading")), id="settings-hint")
        with VerticalScroll(id="settings-form"):
            explained: set[str] = set()
            for spec in SETTINGS:
                # The tiers' rhythms share one explanation: said above the first of them.
                kind = "rhythm" if spec.rhythm is not None else spec.key
                if kind not in explained:
                    explained.add(kind)
                    if spec.rhythm is not None:
                        yield Static(Text(t("rhythm.label"), style="bold underline"), classes="setting-label")
                    yield Static(Text(spec.label(), style="bold"), classes="setting-label")
                    yield Static(Text(spec.help(), style="dim"), classes="setting-help")
                else:
                    yield Static(Text(spec.label(), style="bold"), classes="setting-label rhythm-label")
                if spec.kind in (TEXT, COUNT):
                    yield Input(id=field_id(spec), classes="setting-field", disabled=True)
                else:
                    choices = [(Text(spec.choice_label(choice)), choice) for choice in spec.choices()]
                    yield SelectionList[str](*choices, id=field_id(spec), classes="setting-field", disabled=True)
                yield Static("", id=error_id(spec), classes="setting-error")
        yield KequFooter()

    def on_mount(self) -> None:
        self.title = t("settings_ui.title")
        self.load()

    @work(thread=True, exclusive=True, group="settings")
    def load(self) -> None:
        from kequ.services.settings import all_settings

        try:
            values = all_settings(self.db)
        except KequError as error:
            self.app.call_from_thread(self._failed, error.message())
            return
        self.app.call_from_thread(self.show, values)

    def _failed(self, message: str) -> None:
        self.loaded = {}
        self.notify(message, severity="error", markup=False)

    def show(self, values: dict[str, object]) -> None:
        self.loaded = values
        for spec in SETTINGS:
            value = values[spec.key]
            if spec.kind in (TEXT, COUNT):
                field = self.query_one(f"#{field_id(spec)}", Input)
                field.value = as_text(spec, value)
            else:
                chosen = self.query_one(f"#{field_id(spec)}", SelectionList)
                chosen.deselect_all()
                for choice in value:  # type: ignore[attr-defined]
                    chosen.select(choice)
            self.query_one(f"#{field_id(spec)}").disabled = False
        self.query_one("#settings-hint", Static).update(Text(t("settings_ui.hint")))
        self.query_one(f"#{field_id(SETTINGS[0])}", Input).focus()

    def typed(self, spec: SettingSpec) -> object:
        """What the field holds now: the text typed, or the ticked choices in their order."""
        if spec.kind in (TEXT, COUNT):
            return self.query_one(f"#{field_id(spec)}", Input).value
        ticked = set(self.query_one(f"#{field_id(spec)}", SelectionList).selected)
        return [choice for choice in spec.choices() if choice in ticked]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Check every field; save what changed if all are right, else say what is wrong."""
        if self.loaded is None:
            return
        changes: dict[str, object] = {}
        wrong = False
        for spec in SETTINGS:
            error = self.query_one(f"#{error_id(spec)}", Static)
            try:
                value = check(spec, self.typed(spec))
            except KequError as problem:
                error.update(Text(inert_text(problem.message()), style="bold red"))
                wrong = True
                continue
            error.update("")
            if value != self.loaded.get(spec.key):
                changes[spec.key] = value
        if wrong:
            self.notify(t("settings_ui.not_saved"), severity="error", markup=False)
        elif not changes:
            self.notify(t("settings_ui.unchanged"), markup=False)
        else:
            self.save(changes)

    def save(self, changes: dict[str, object]) -> None:
        from kequ.services.settings import save_settings

        self.run_change(lambda db: save_settings(db, changes), group="settings-save", then=self._saved, reload=False)

    def _saved(self, saved: dict[str, object]) -> None:
        assert self.loaded is not None
        self.loaded = {**self.loaded, **saved}
        self.notify(t("settings_ui.saved"), markup=False)

    def action_back(self) -> None:
        self.app.pop_screen()
