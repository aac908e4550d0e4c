"""CSV and XLSX files read into checked rows."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from kequ.errors import KequError
from kequ.exchange.imports.fields import IGNORE, KIND
from kequ.exchange.imports.mapping import (
    ACCOUNT_KINDS,
    GROUP_KINDS,
    Layout,
    has_who,
    is_header,
    read_layout,
    settle_layout,
)
from kequ.exchange.imports.readers import cell_text
from kequ.exchange.imports.report import ImportReport, RowError
from kequ.exchange.imports.rows import NO_DATE, VALUE_CHECKS, Row
from kequ.i18n import t

# Rows looked at before a 类型 column is judged by its values.
SETTLE_ROWS = 200

# An official account's WeChat id: gh_ and twelve hex digits.
_ACCOUNT_ID = re.compile(r"gh_[0-9a-f]{12}")

# What a WeChat export says of an ordinary friend: nothing worth a note.
_FRIEND_KINDS = frozenset({"好友", "friend"})


def tabular_rows(
    rows: Iterator[tuple[int, list[str]]], explicit: Mapping[str, str | None] | None, report: ImportReport
) -> Iterator[Row]:
    """Find the header (title rows above it are skipped), then map every data row."""
    layout: Layout | None = None
    filled: set[str] = set()  # the columns kept in the notes that some row filled in
    waiting: list[tuple[int, list[str]]] = []
    ahead: list[tuple[int, list[str]]] = []
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if layout is None:
            waiting.append((line, cells))
            if is_header(cells, explicit):
                layout = read_layout(cells, explicit)
                if not has_who(layout.targets):
                    raise KequError("io.file.no_name_column", columns=_columns_text(cells))
            elif len(waiting) >= 10:
                break
            continue
        if len(ahead) < SETTLE_ROWS:
            ahead.append((line, cells))
            continue
        if ahead:
            layout = _settle(layout, ahead, explicit, report)
            yield from _mapped(ahead, layout, report, filled)
            ahead = []
        yield from _mapped([(line, cells)], layout, report, filled)
    if layout is not None and ahead:
        layout = _settle(layout, ahead, explicit, report)
        yield from _mapped(ahead, layout, report, filled)
    if layout is not None and not report.mapping and not report.to_notes:
        _describe_layout(layout, report)  # a header and no rows: still say what it meant
    report.empty_columns = [label for label in report.to_notes if label not in filled]
    if layout is None:
        if not waiting:
            raise KequError("io.file.empty", path=report.path)
        if explicit:
            missing = [c for c in explicit if c not in [x.strip() for x in waiting[0][1]]]
            raise KequError(
                "io.mapping.unknown_column", column="、".join(missing), columns=_columns_text(waiting[0][1])
            )
        raise KequError("io.file.no_name_column", columns=_columns_text(waiting[0][1]))


def _settle(
    layout: Layout, ahead: list[tuple[int, list[str]]], explicit: Mapping[str, str | None] | None, report: ImportReport
) -> Layout:
    settled = settle_layout(layout, [cells for _, cells in ahead], explicit, VALUE_CHECKS)
    _describe_layout(settled, report)
    return settled


def _mapped(rows: list[tuple[int, list[str]]], layout: Layout, report: ImportReport, filled: set[str]) -> Iterator[Row]:
    for line, cells in rows:
        row = _map_row(line, cells, layout)
        filled.update(label for label, _ in row.extras)
        kind = "".join(text for _, text in row.values.pop(KIND, [])).strip()
        wechat_ids = [text for _, text in row.values.get("wechat", [])] + list(row.raw.values())
        group = kind.lower() in GROUP_KINDS or any(text.strip().endswith("@chatroom") for text in wechat_ids)
        account = kind.lower() in ACCOUNT_KINDS or any(_ACCOUNT_ID.fullmatch(text.strip()) for text in wechat_ids)
        if group or account:
            report.rows += 1
            name = next((text for _, text in row.values.get("name", []) if text.strip()), "")
            key = "io.row.group_chat" if group else "io.row.official_account"
            report.left_out.append(RowError(line, t("io.field.kind"), name or kind, t(key), key))
            continue
        if kind and kind.lower() not in _FRIEND_KINDS:
            label = next((lab for lab, target in zip(layout.labels, layout.targets, strict=True) if target == KIND), "")
            row.extras.append((label or t("io.field.kind"), kind))
        yield row


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
            if text.strip() and not NO_DATE.match(text.strip()):
                extras.append((label, text.strip()))
            continue
        values.setdefault(target, []).append((label, text))
    return Row(line, values, extras, raw)


def _describe_layout(layout: Layout, report: ImportReport) -> None:
    report.mapping.clear()
    report.to_notes.clear()
    for label, target in zip(layout.labels, layout.targets, strict=True):
        if not label:
            continue
        if target is None:
            report.to_notes.append(label)
        else:
            report.mapping[label] = target
