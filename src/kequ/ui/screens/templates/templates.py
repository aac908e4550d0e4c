"""消息模板: the built-in templates and the user's own, with a preview and an editor.

Every text here is user data or template text shown literally (``[red]`` stays
``[red]``); only rich ``Text`` objects go to the widgets, never markup strings.
"""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Label, Select, Static, TextArea

from kequ.domain.templates import (
    GENERIC,
    OCCASIONS,
    PLACEHOLDERS,
    Template,
    check_template,
    fill,
    occasion_label,
    occasion_year,
    sign,
)
from kequ.i18n import language, t
from kequ.storage import clock
from kequ.ui.base import CANCEL_ID, Dialog, KequScreen
from kequ.ui.styles import css_beside
from kequ.ui.widgets.badges import disc_badge, plain
from kequ.ui.widgets.footer import KequFooter

ANY = "any"
DISCS = ("D", "I", "S", "C")
FORMALITIES = ("formal", "close")
SAMPLE = {"honorific": "王总", "name": "王建国", "company": "苏州恒瑞精密机械有限公司"}
FIRST_LINE_MAX = 60
COLUMNS = (
    ("templates_ui.col.occasion", 16),
    ("templates_ui.col.disc", 12),
    ("templates_ui.col.formality", 10),
    ("templates_ui.col.source", 6),
    ("templates_ui.col.text", None),
)


def sample_values(occasion: str, today: date, my_name: str = "") -> dict[str, object]:
    """The sample customer, plus what the app itself would fill in for this occasion: the
    user's name, the year of the occasion's coming day (元旦 seen in December: next year),
    and {day}, a date four days off as a birthday ahead names it (周五, on Friday)."""
    from kequ.domain.agenda.suggest import day_words

    year = occasion_year(occasion, today)
    day = day_words(today + timedelta(days=4), 4)
    return {**SAMPLE, "festival": occasion_label(occasion), "year": str(year), "day": day, "my_name": my_name}


def preview_text(template_body: str, occasion: str, today: date, me: tuple[str, str] = ("", "")) -> str:
    """The template as it would be sent: filled in, and signed as the settings say."""
    name, signature = me
    return sign(fill(template_body, sample_values(occasion, today, name)), signature, occasion)


def first_line(body: str) -> str:
    line = next((part.strip() for part in body.splitlines() if part.strip()), "")
    return line if len(line) <= FIRST_LINE_MAX else line[: FIRST_LINE_MAX - 1] + "…"


def formality_label(formality: str | None) -> str:
    return t(f"templates_ui.formality.{formality}") if formality else t("templates_ui.any_formality")


def row_key(template: Template, index: int) -> str:
    # Built-ins have no id; their place in the package data is stable within a run.
    return f"u{template.id}" if not template.builtin else f"b{index}"


class TemplatesScreen(KequScreen[None]):
    """All templates: the built-ins in the current language and every one of the user's own."""

    DEFAULT_CSS = css_beside(__file__, "templates_screen.tcss")

    BINDINGS = [
        Binding("n", "new", t("templates_ui.key.new"), id="templates.new"),
        Binding("e", "edit", t("templates_ui.key.edit"), id="templates.edit"),
        Binding("delete", "delete", t("templates_ui.key.delete"), id="templates.delete", key_display="Del"),
        Binding("escape", "back", t("key.back"), id="templates.back"),
    ]

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self.today = today or clock.today()
        self.rows: dict[str, Template] = {}
        self.loaded: list[Template] | None = None
        self.me = ("", "")  # my name and signature (the settings), for the preview
        self._select_after_load: str | None = None
        self._busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("templates_ui.loading"), id="tpl-summary")
        table: DataTable[Text] = DataTable(id="templates", cursor_type="row", zebra_stripes=True)
        for key, width in COLUMNS:
            table.add_column(t(key), key=key, width=width)
        yield table
        yield Static(t("templates_ui.preview_title"), id="tpl-preview-title")
        yield Static("", id="tpl-preview")
        yield KequFooter()

    def on_mount(self) -> None:
        self.title = t("templates_ui.title")
        self.call_after_refresh(self.load)

    @work(thread=True, exclusive=True, group="templates")
    def load(self) -> None:
        from kequ.errors import KequError
        from kequ.services.settings import me
        from kequ.services.templates_store import list_templates

        try:
            everything = list_templates(self.db)
            self.me = me(self.db)
        except KequError as error:
            self.app.call_from_thread(self._failed, error.message())
            return
        lang = language()
        # Both languages of each built-in would double the list for nothing: one is shown.
        shown = [tpl for tpl in everything if not tpl.builtin or tpl.lang == lang]
        self.app.call_from_thread(self.show, shown)

    def _failed(self, message: str) -> None:
        self.loaded = []
        self.notify(message, severity="error", markup=False)

    def show(self, templates: list[Template]) -> None:
        table = self.query_one("#templates", DataTable)
        keep_row = table.cursor_row
        table.clear()
        self.loaded = templates
        self.rows = {}
        for index, tpl in enumerate(templates):
            key = row_key(tpl, index)
            self.rows[key] = tpl
            table.add_row(
                plain(occasion_label(tpl.occasion)),
                disc_badge(tpl.disc) if tpl.disc else plain(t("templates_ui.any_disc"), "dim"),
                plain(formality_label(tpl.formality), "" if tpl.formality else "dim"),
                plain(t("templates_ui.builtin"), "dim") if tpl.builtin else plain(t("templates_ui.mine"), "bold green"),
                # As the customer would read it, with the sample filled in, not the [[…]] syntax.
                plain(first_line(preview_text(tpl.body, tpl.occasion, self.today, self.me))),
                key=key,
            )
        mine = sum(1 for tpl in templates if not tpl.builtin)
        summary = t("templates_ui.summary", builtin=len(templates) - mine, mine=mine)
        self.query_one("#tpl-summary", Static).update(plain(summary))
        if not templates:
            self.query_one("#tpl-preview", Static).update(plain(t("templates_ui.empty")))
            return
        wanted = self._select_after_load
        self._select_after_load = None
        if wanted is not None and wanted in self.rows:
            table.move_cursor(row=table.get_row_index(wanted))
        else:
            table.move_cursor(row=min(keep_row, table.row_count - 1))
        self._preview(self.selected())

    def selected(self) -> Template | None:
        table = self.query_one("#templates", DataTable)
        if table.row_count == 0:
            return None
        key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.rows.get(str(key.value))

    def _preview(self, tpl: Template | None) -> None:
        text = "" if tpl is None else preview_text(tpl.body, tpl.occasion, self.today, self.me)
        self.query_one("#tpl-preview", Static).update(Text(text))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._preview(self.rows.get(str(event.row_key.value)))
        self.refresh_bindings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete":
            tpl = self.selected() if self.loaded else None
            # Shown greyed out on a built-in, so the key is discoverable but clearly not for it.
            return (tpl is not None and not tpl.builtin) or None
        return True

    # ------------------------------------------------------------------ actions

    def _open_editor(self, tpl: Template | None, editing: bool) -> None:
        def done(saved_id: int | None) -> None:
            if saved_id is not None:
                self._select_after_load = f"u{saved_id}"
                self.notify(t("templates_ui.saved"), markup=False)
                self.load()

        self.app.push_screen(TemplateEditor(tpl, editing, self.today, self.me), done)

    def action_new(self) -> None:
        self._open_editor(self.selected(), editing=False)

    def action_edit(self) -> None:
        tpl = self.selected()
        if tpl is None:
            return
        # A built-in is never changed in place: the edit becomes the user's own copy.
        self._open_editor(tpl, editing=not tpl.builtin)

    def action_delete(self) -> None:
        tpl = self.selected()
        if tpl is None or self._busy:
            return
        if tpl.builtin or tpl.id is None:
            self.notify(t("templates_ui.builtin_no_delete"), severity="warning", markup=False)
            return
        template_id = tpl.id

        def answered(yes: bool | None) -> None:
            if yes:
                self._busy = True
                self.erase(template_id)

        from kequ.ui.dialogs.prompts import ConfirmPrompt

        self.app.push_screen(ConfirmPrompt(t("templates_ui.confirm.delete", text=first_line(tpl.body))), answered)

    def erase(self, template_id: int) -> None:
        from kequ.services.templates_store import delete_template

        def deleted(_: None) -> None:
            self._busy = False

        def refused(message: str) -> None:
            self._busy = False
            self.notify(message, severity="error", markup=False)
            self.load()

        self.run_change(
            lambda db: delete_template(db, template_id),
            group="templates-write",
            done="templates_ui.deleted",
            then=deleted,
            on_refusal=refused,
        )

    def action_back(self) -> None:
        self.app.pop_screen()


class TemplateEditor(Dialog[int | None]):
    """Writing a template, with its problems and a preview kept up to date as one types.

    Dismissed with the saved template's id, or None when cancelled.
    """

    DEFAULT_CSS = css_beside(__file__, "template_editor.tcss")

    # Priority: the text box has focus and would otherwise keep escape and ctrl+s.
    BINDINGS = [
        Binding("ctrl+s", "save", t("templates_ui.key.save"), id="template_editor.save", priority=True),
        Binding("escape", "cancel", t("key.cancel"), id=CANCEL_ID, priority=True),
    ]

    def __init__(
        self,
        start: Template | None,
        editing: bool,
        today: date | None = None,
        me: tuple[str, str] = ("", ""),
    ) -> None:
        super().__init__()
        self.start = start
        self.editing_id = start.id if editing and start is not None and not start.builtin else None
        self.today = today or clock.today()
        self.me = me
        self.busy = False

    def compose(self) -> ComposeResult:
        start = self.start
        if self.editing_id is not None:
            title = t("templates_ui.editor.title_edit")
        elif start is not None and start.builtin:
            title = t("templates_ui.editor.title_copy")
        else:
            title = t("templates_ui.editor.title_new")
        occasions = [(occasion_label(o), o) for o in (*OCCASIONS, GENERIC)]
        discs = [(t("templates_ui.any_disc"), ANY), *((f"{d} {t(f'vocab.disc.{d}')}", d) for d in DISCS)]
        tones = [(t("templates_ui.any_formality"), ANY), *((formality_label(f), f) for f in FORMALITIES)]
        occasion = start.occasion if start is not None and start.occasion in {*OCCASIONS, GENERIC} else GENERIC
        with Vertical():
            yield Static(title, id="ed-title")
            with Horizontal(id="ed-choices"):
                with Vertical():
                    yield Label(t("templates_ui.editor.occasion"), classes="ed-label")
                    yield Select(occasions, value=occasion, allow_blank=False, id="ed-occasion")
                with Vertical():
                    yield Label(t("templates_ui.editor.disc"), classes="ed-label")
                    disc = start.disc if start is not None and start.disc in DISCS else ANY
                    yield Select(discs, value=disc, allow_blank=False, id="ed-disc")
                with Vertical():
                    yield Label(t("templates_ui.editor.formality"), classes="ed-label")
                    tone = start.formality if start is not None and start.formality in FORMALITIES else ANY
                    yield Select(tones, value=tone, allow_blank=False, id="ed-formality")
            yield Label(t("templates_ui.editor.body"), classes="ed-label")
            yield TextArea(start.body if start is not None else "", id="ed-body", soft_wrap=True)
            names = " ".join(f"{{{name}}}" for name in PLACEHOLDERS)
            yield Static(Text(t("templates_ui.editor.placeholders", names=names)), id="ed-help")
            yield Static("", id="ed-problems")
            yield Label(t("templates_ui.editor.preview"), classes="ed-label")
            yield Static("", id="ed-preview")
            yield Static(t("templates_ui.editor.hint"), id="ed-hint")

    def on_mount(self) -> None:
        area = self.query_one("#ed-body", TextArea)
        area.move_cursor(area.document.end)
        area.focus()
        self.refresh_check()

    def _value(self, selector: str) -> str:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else ANY

    def body(self) -> str:
        return self.query_one("#ed-body", TextArea).text

    def refresh_check(self) -> None:
        body = self.body()
        problems = check_template(body)
        shown = Text()
        if problems:
            for i, problem in enumerate(problems):
                if i:
                    shown.append("\n")
                shown.append(f"✗ {problem.message()}", style="bold red")
        else:
            shown.append(t("templates_ui.editor.ok"), style="green")
        self.query_one("#ed-problems", Static).update(shown)
        preview = preview_text(body, self._value("#ed-occasion"), self.today, self.me)
        self.query_one("#ed-preview", Static).update(Text(preview))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.refresh_check()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.refresh_check()

    def action_save(self) -> None:
        if self.busy:
            return
        self.refresh_check()
        if check_template(self.body()):
            # The problems are already on screen under the text; a toast says why nothing happened.
            self.notify(t("templates_ui.editor.fix_first"), severity="warning", markup=False)
            return
        self.busy = True
        self.write(self._value("#ed-occasion"), self._value("#ed-disc"), self._value("#ed-formality"), self.body())

    def write(self, occasion: str, disc: str, formality: str, body: str) -> None:
        from kequ.services.templates_store import save_template

        self.run_change(
            lambda db: save_template(db, occasion, disc, formality, body, self.editing_id),
            group="template-editor-write",
            then=self.dismiss,
            on_refusal=self._refused,
        )

    def _refused(self, message: str) -> None:
        self.busy = False
        self.query_one("#ed-problems", Static).update(Text(message, style="bold red"))
        self.notify(message, severity="error", markup=False)
