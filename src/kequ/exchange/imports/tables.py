"""CSV and XLSX files read into checked rows."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from kequ.errors import KequError
from kequ.exchange.imports.fields import IGNORE
from kequ.exchange.imports.mapping import Layout, is_header, read_layout
from kequ.exchange.imports.readers import cell_text
from kequ.exchange.imports.report import ImportReport
from kequ.exchange.imports.rows import Row
from kequ.i18n import t


def tabular_rows(
    rows: Iterator[tuple[int, list[str]]], explicit: Mapping[str, str | None] | None, report: ImportReport
) -> Iterator[Row]:
    """Find the header (title rows above it are skipped), then map every data row."""
    layout: Layout | None = None
    waiting: list[tuple[int, list[str]]] = []
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if layout is None:
            waiting.append((line, cells))
            if is_header(cells, explicit):
                layout = read_layout(cells, explicit)
                if "name" not in layout.targets:
                    raise KequError("io.file.no_name_column", columns=_columns_text(cells))
                _describe_layout(layout, report)
            elif len(waiting) >= 10:
                break
            continue
        yield _map_row(line, cells, layout)
    if layout is None:
        if not waiting:
            raise KequError("io.file.empty", path=report.path)
        if explicit:
            missing = [c for c in explicit if c not in [x.strip() for x in waiting[0][1]]]
            raise KequError(
                "io.mapping.unknown_column", column="、".join(missing), columns=_columns_text(waiting[0][1])
            )
        raise KequError("io.file.no_name_column", columns=_columns_text(waiting[0][1]))


def _columns_text(cells: list[str]) -> str:
    shown = [c.strip() for c in cells if c.strip()][:12]
    return "、".join(shown) or "—"


def _map_row(line: int, cells: list[str], layout: Layout) -> Row:
    values: dict[str, list[tuple[str, str]]] = {}
    extras: list[tuple[str, str]] = []
    raw: dict[str, str] = {}
    width = len(layout.labels)
    for i, cell in enumerate(cells):
        label = layout.labels[i] if i < width and layout.labels[i] else t("io.row.column_n", n=i + 1)
        text = cell if isinstance(cell, str) else cell_text(cell)
        # Two columns both called 备注 must both reach the report; the suffix reads back the same.
        raw[label if label not in raw else f"{label}({i + 1})"] = text
        target = layout.targets[i] if i < width else None
        if target == IGNORE:
            continue
        if target is None:
            if text.strip():
                extras.append((label, text.strip()))
            continue
        values.setdefault(target, []).append((label, text))
    return Row(line, values, extras, raw)


def _describe_layout(layout: Layout, report: ImportReport) -> None:
    for label, target in zip(layout.labels, layout.targets, strict=True):
        if not label:
            continue
        if target is None:
            report.to_notes.append(label)
        else:
            report.mapping[label] = target
