"""The complaint list in plain SQL: the Complaints screen opens without loading the ORM.

Open complaints first, newest first within each group, as the list always read; the days
are the user's local days of the stored UTC times, as SQLite's ``'localtime'`` gives them
(the agenda reads complaints the same way).
"""

from __future__ import annotations

from datetime import date

from kequ.domain.complaints import ComplaintRow
from kequ.domain.values import display_name
from kequ.storage.database import Database

_LIST = """
    SELECT k.id, k.customer_id, c.name, c.honorific, date(k.opened_at, 'localtime'), k.status, k.step, k.summary,
           k.cause, date(k.closed_at, 'localtime'), k.satisfaction
    FROM complaint k JOIN customer c ON c.id = k.customer_id
    ORDER BY CASE WHEN k.status = 'open' THEN 0 ELSE 1 END, k.opened_at DESC, k.id DESC
"""


def list_complaints(db: Database, today: date) -> list[ComplaintRow]:
    """Every complaint, open ones first, newest first within each group."""
    day = date.fromisoformat
    rows: list[ComplaintRow] = []
    with db.reader() as conn:
        found = conn.execute(_LIST).fetchall()
    for kid, cid, name, honorific, opened, status, step, summary, cause, closed, satisfaction in found:
        opened_on = day(opened)
        closed_on = day(closed) if closed else None
        rows.append(
            ComplaintRow(
                id=kid,
                customer_id=cid,
                customer_name=display_name(name, honorific),
                opened_on=opened_on,
                age_days=max(0, ((closed_on or today) - opened_on).days),
                status=status,
                step=step,
                summary=summary,
                cause=cause,
                closed_on=closed_on,
                satisfaction=satisfaction,
            )
        )
    return rows
