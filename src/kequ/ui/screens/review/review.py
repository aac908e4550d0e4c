"""复盘 (key 6): this week against plan, the last twelve weeks as bars, cooling key
customers, festival coverage, gift spend, complaints and the calls after each deal.
Enter on a figure lists the customers behind it; Enter there opens the profile."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from kequ.domain.values import month_name
from kequ.i18n import t
from kequ.storage import clock
from kequ.ui.base import KequScreen
from kequ.ui.styles import css_beside
from kequ.ui.widgets.badges import plain
from kequ.ui.widgets.footer import KequFooter

if TYPE_CHECKING:
    from kequ.domain.review.figures import WeekRow
    from kequ.services.review import Cooling, Review

CHART_ROWS = 6
BAR = "█"


def week_bars(weeks: Sequence[WeekRow], rows: int = CHART_ROWS) -> Text:
    """Touches done per week as bars of block characters, planned as a ▔ mark, with axes:
    touches up the side (the most, half of it, 0), and along the bottom each week's Monday
    (day of the month under each bar, the month under the first week shown of each month).

    13 weeks x 5 columns + the axis fit in 80 columns."""
    top = max([1, *(max(w.done_total, w.planned_total) for w in weeks)])
    out = Text(no_wrap=True)
    out.append(t("review.ui.chart_title"), style="bold")
    out.append(" " + t("review.ui.chart_legend") + "\n", style="dim")
    width = len(str(top))
    for level in range(rows, 0, -1):
        floor = top * (level - 1) / rows
        label = str(top) if level == rows else (str(round(top / 2)) if level == rows // 2 else "")
        out.append(label.rjust(width) + " ┤")
        for week in weeks:
            done = week.done_total > floor
            planned_here = floor < week.planned_total <= top * level / rows
            cell = BAR * 3 if done else ("▔▔▔" if planned_here else "   ")
            out.append(f" {cell} ", style="green" if done else "yellow")
        out.append("\n")
    out.append("0".rjust(width) + " └" + "─" * (5 * len(weeks)) + "\n")
    margin = " " * (width + 2)
    out.append(margin + "".join(f"{week.start.day:^5}" for week in weeks) + "\n")
    months, shown = [], None
    for week in weeks:
        label = "" if week.start.month == shown else month_name(week.start.month)
        shown = week.start.month
        left = (5 - cell_len(label)) // 2
        months.append(" " * left + label + " " * max(0, 5 - left - cell_len(label)))
    out.append(margin + "".join(months).rstrip())
    return out


class ReviewScreen(KequScreen[None]):
    BINDINGS = [
        Binding("enter", "open", t("review.ui.key_open"), id="review.open"),
        Binding("w", "span('week')", t("review.ui.key_week"), id="review.week"),
        Binding("n", "span('month')", t("review.ui.key_month"), id="review.month"),
        Binding("r", "refresh", t("key.refresh"), id="review.refresh"),
    ]
    DEFAULT_CSS = css_beside(__file__, "review_screen.tcss")

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self.today = today or clock.today()
        self.span = "week"
        self.result: Review | None = None
        self.loaded: Review | None = None  # what the tests' settle() waits for: figures and cooling
        self.figures: Review | None = None  # the period's figures, shown first
        # The cooling key customers and their names, read beside the figures (the same for any span).
        self.cold: tuple[Sequence[Cooling], dict[int, tuple[str, str, str]]] | None = None
        self.behind: dict[str, tuple[str, list[int] | None, tuple[date, date, str | None] | None]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("today.loading"), id="review-summary")
        yield Static("", id="review-chart")
        yield DataTable(id="review-figures", cursor_type="row", zebra_stripes=True)
        yield KequFooter()

    def on_mount(self) -> None:
        self.title = t("review.ui.title")
        table = self.query_one("#review-figures", DataTable)
        table.add_column(t("review.ui.col_figure"), key="figure", width=30)
        table.add_column(t("review.ui.col_value"), key="value")
        self.load()

    def load(self, cooling: bool = True) -> None:
        """Read the period's figures, and (unless only the span changed) the cooling key
        customers beside them: the figures show as soon as they are read."""
        self.loaded = None
        if cooling:
            self.cold = None
            self.load_cooling()
        self.load_figures()

    @work(thread=True, exclusive=True, group="review")
    def load_figures(self) -> None:
        from kequ.services.review import review_figures

        self.read_then_show(lambda db: review_figures(db, self.today, self.span), self.show)

    @work(thread=True, exclusive=True, group="review-cooling")
    def load_cooling(self) -> None:
        from kequ.services.review import cooling_customers

        self.read_then_show(lambda db: cooling_customers(db, self.today), self.show_cooling)

    def show(self, result: Review) -> None:
        self.figures = result
        done, planned = sum(result.done.values()), sum(result.planned.values())
        summary = t("review.cli.period", start=result.start, end=result.end, done=done, planned=planned)
        self.query_one("#review-summary", Static).update(plain(summary))
        self.query_one("#review-chart", Static).update(week_bars(result.weeks))
        table = self.query_one("#review-figures", DataTable)
        table.clear()
        self.behind = {}
        period = (result.start, result.end)

        def add(key: str, figure: str, value: str, ids: list[int] | None, touched: str | None = None) -> None:
            self.behind[key] = (figure, ids, (*period, touched) if ids is None else None)
            table.add_row(plain(figure), plain(value), key=key)

        for kind in sorted(set(result.done) | set(result.planned)):
            label = t(f"vocab.kind.{kind}")
            add(f"kind:{kind}", label, f"{result.done.get(kind, 0)}/{result.planned.get(kind, 0)}", None, kind)
        add("cooling", t("review.ui.cooling"), t("today.loading"), [])
        for row in result.festivals:
            name = f"{t(f'festival.{row.festival}')} {row.day.isoformat()}"
            value = t("review.ui.festival_value", sent=len(row.sent), skipped=len(row.skipped), left=len(row.left))
            add(f"festival:{row.festival}:{row.day}", name, value, list(row.left))
        gifts = result.gifts
        add("gifts", t("review.ui.gifts"), f"{gifts.count} · ¥{gifts.total / 100:.2f}", list(gifts.by_customer))
        c = result.complaints
        owners = [c.customers[k] for k in (*c.opened, *c.closed, *c.still_open) if k in c.customers]
        value = t("review.ui.complaints_value", opened=len(c.opened), closed=len(c.closed), open=len(c.still_open))
        add("complaints", t("review.ui.complaints"), value, list(dict.fromkeys(owners)))
        kept = sum(1 for d in result.deals if d.kept)
        missed = [d.customer_id for d in result.deals if not d.kept]
        add("deals", t("review.ui.deals"), f"{kept}/{len(result.deals)}", missed)
        self._show_cooling()

    def show_cooling(self, found: tuple[Sequence[Cooling], dict[int, tuple[str, str, str]]]) -> None:
        self.cold = found
        self._show_cooling()

    def _show_cooling(self) -> None:
        """Put the cooling customers into the figures once both are read."""
        from kequ.services.review import with_cooling

        if self.figures is None or self.cold is None:
            return
        cold, names = self.cold
        self.result = self.loaded = with_cooling(self.figures, cold, names)
        figure, _ids, _touched = self.behind["cooling"]
        self.behind["cooling"] = (figure, [c.customer_id for c in cold], None)
        self.query_one("#review-figures", DataTable).update_cell("cooling", "value", plain(str(len(cold))))

    def action_open(self) -> None:
        table = self.query_one("#review-figures", DataTable)
        if table.row_count == 0:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        if row_key.value == "cooling" and self.loaded is None:
            return  # the cooling customers are still being read
        figure, ids, touched = self.behind[str(row_key.value)]
        self.app.push_screen(PeopleScreen(figure, ids, touched, self.today))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_span(self, span: str) -> None:
        self.span = span
        self.load(cooling=False)

    def action_refresh(self) -> None:
        self.load()


class PeopleScreen(KequScreen[None]):
    """The customers behind one figure of the review."""

    BINDINGS = [
        Binding("enter", "open", t("review.ui.key_profile"), id="review.people.open"),
        Binding("escape", "back", t("key.back"), id="review.people.back"),
    ]
    DEFAULT_CSS = css_beside(__file__, "review_screen.tcss")

    def __init__(
        self, figure: str, ids: list[int] | None, touched: tuple[date, date, str | None] | None, today: date
    ) -> None:
        super().__init__()
        self.figure, self.ids, self.touched, self.today = figure, ids, touched, today
        self.loaded: list[int] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(self.figure), id="people-title")
        yield DataTable(id="people-table", cursor_type="row", zebra_stripes=True)
        yield KequFooter()

    def on_mount(self) -> None:
        self.title = t("review.ui.title")
        table = self.query_one("#people-table", DataTable)
        table.add_column(t("review.report.col.customer"), key="name")
        table.add_column(t("review.report.col.company"), key="company")
        self.load()

    @work(thread=True, exclusive=True, group="review-people")
    def load(self) -> None:
        from kequ.services.review import customers_touched, names_of

        def read(db):  # type: ignore[no-untyped-def]
            ids = self.ids
            if ids is None and self.touched is not None:
                start, end, kind = self.touched
                ids = customers_touched(db, start, end, kind)
            ids = list(ids or [])
            return ids, names_of(db, ids)

        self.read_then_show(read, self.show)

    def show(self, found: tuple[list[int], dict[int, tuple[str, str, str]]]) -> None:
        ids, names = found
        self.loaded = ids
        table = self.query_one("#people-table", DataTable)
        table.clear()
        for cid in ids:
            name, honorific, company = names.get(cid, (str(cid), "", ""))
            shown = f"{name}（{honorific}）" if honorific and honorific != name else name
            table.add_row(plain(shown), plain(company), key=str(cid))
        self.query_one("#people-title", Static).update(plain(f"{self.figure} · {len(ids)}"))

    def action_open(self) -> None:
        from kequ.ui.screens.customers.profile import ProfileScreen

        table = self.query_one("#people-table", DataTable)
        if table.row_count == 0:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        self.app.push_screen(ProfileScreen(int(str(row_key.value)), self.today))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_back(self) -> None:
        self.dismiss()
