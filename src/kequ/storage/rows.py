"""The two row chores every use case does the same way: add one and learn its id, delete one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

    from kequ.storage.database import Database


def add_and_number(session: Session, row: Any) -> int:
    """Add a new row and return the id the database gave it."""
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def delete_by_id(db: Database, model: type[Any], row_id: int) -> None:
    """Delete one row; one already gone is not an error (another window may have been first)."""
    with db.session() as session:
        row = session.get(model, row_id)
        if row is not None:
            session.delete(row)
