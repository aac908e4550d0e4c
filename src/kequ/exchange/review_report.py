"""The 周报 (or 月报) workbook: the contacts of the period, every customer's health, and
the figures with native Excel bar charts (openpyxl), for the manager who asks for one.

Sheets: 跟进记录 (date, customer, company, kind, note, outcome, next step), 客户健康 (score,
trend and the points of each part), 统计 (touches done and planned per week, gift spend
per month, festival coverage), with their headers in the user's language.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kequ.domain.review.health import PARTS
from kequ.errors import KequError
from kequ.exchange.spreadsheet import neutralise
from kequ.i18n import t
from kequ.services.review import all_health, contacts_between, names_of, review
from kequ.storage.database import Database


def _text(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))


def write_report(db: Database, today: date, span: str, path: Path) -> dict[str, int]:
    """Write the workbook to ``path``; returns how many rows each sheet got."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    if path.suffix.lower() != ".xlsx":
        raise KequError("review.report.not_xlsx", path=str(path))
    figures = review(db, today, span)
    bold = Font(bold=True)
    book = Workbook()
    contacts_sheet = book.active
    contacts_sheet.title = t("review.report.sheet_contacts")
    headers = ("date", "customer", "company", "kind", "note", "outcome", "next_step")
    contacts_sheet.append([t(f"review.report.col.{h}") for h in headers])
    lines = contacts_between(db, figures.start, figures.end)
    for line in lines:
        following = ""
        if line.next_step is not None:
            day, kind, reason = line.next_step
            following = " ".join(p for p in (day.isoformat(), t(f"vocab.kind.{kind}"), reason) if p)
        contacts_sheet.append(
            [
                line.day,
                _text(line.name),
                _text(line.company),
                t(f"vocab.kind.{line.kind}"),
                _text(line.note),
                _text(line.outcome),
                _text(following),
            ]
        )
    health_sheet = book.create_sheet(t("review.report.sheet_health"))
    health_sheet.append(
        [
            t("review.report.col.customer"),
            t("review.report.col.company"),
            t("review.report.col.score"),
            t("review.report.col.before"),
            t("review.report.col.change"),
            *(t(f"health.part.{name}") for name in PARTS),
            t("review.report.col.why"),
        ]
    )
    scored = all_health(db, today)
    names = names_of(db, [h.customer_id for h, _trend in scored])
    for health, change in scored:
        name, _honorific, company = names.get(health.customer_id, ("", "", ""))
        points = {p.name: p.points for p in health.parts}
        why = "；".join(f"{p.label()} {p.explain()}" for p in health.parts)
        health_sheet.append(
            [
                _text(name),
                _text(company),
                health.score,
                change.before,
                change.change,
                *(points.get(part, 0) for part in PARTS),
                _text(why),
            ]
        )
    stats = book.create_sheet(t("review.report.sheet_stats"))
    stats.append([t("review.report.col.week"), t("review.report.col.done"), t("review.report.col.planned")])
    for week in figures.weeks:
        stats.append([week.start, week.done_total, week.planned_total])
    weeks_chart = BarChart()
    weeks_chart.title = t("review.report.chart_weeks")
    weeks_chart.y_axis.title = t("review.report.col.touches")
    weeks_chart.x_axis.title = t("review.report.col.week")
    rows = len(figures.weeks) + 1
    weeks_chart.add_data(Reference(stats, min_col=2, max_col=3, min_row=1, max_row=rows), titles_from_data=True)
    weeks_chart.set_categories(Reference(stats, min_col=1, min_row=2, max_row=rows))
    weeks_chart.width, weeks_chart.height = 24, 9
    stats.add_chart(weeks_chart, "F2")
    top = rows + 2
    stats.cell(top, 1, t("review.report.col.month"))
    stats.cell(top, 2, t("review.report.col.gift_spend"))
    months = list(figures.gifts_by_month.items())
    for i, (month, cents) in enumerate(months, start=1):
        stats.cell(top + i, 1, month)
        stats.cell(top + i, 2, cents / 100)
    gifts_chart = BarChart()
    gifts_chart.title = t("review.report.chart_gifts")
    gifts_chart.y_axis.title = t("review.report.col.yuan")
    gifts_chart.x_axis.title = t("review.report.col.month")
    gifts_chart.add_data(Reference(stats, min_col=2, min_row=top, max_row=top + len(months)), titles_from_data=True)
    gifts_chart.set_categories(Reference(stats, min_col=1, min_row=top + 1, max_row=top + max(1, len(months))))
    gifts_chart.width, gifts_chart.height = 24, 9
    stats.add_chart(gifts_chart, "F22")
    top += len(months) + 2
    stats.cell(top, 1, t("review.report.col.festival"))
    for col, key in enumerate(("sent", "skipped", "left"), start=2):
        stats.cell(top, col, t(f"review.festival.{key}"))
    for i, row in enumerate(figures.festivals, start=1):
        stats.cell(top + i, 1, f"{t(f'festival.{row.festival}')} {row.day.isoformat()}")
        for col, ids in enumerate((row.sent, row.skipped, row.left), start=2):
            stats.cell(top + i, col, len(ids))
    for sheet in (contacts_sheet, health_sheet, stats):
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
    contacts_sheet.column_dimensions["A"].width = 12
    stats.column_dimensions["A"].width = 16
    for row in contacts_sheet.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "yyyy-mm-dd"
    for row in stats.iter_rows(min_row=2, max_row=rows, max_col=1):
        row[0].number_format = "yyyy-mm-dd"
    book.save(path)
    return {"contacts": len(lines), "health": len(scored), "weeks": len(figures.weeks)}
