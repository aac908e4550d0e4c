"""Deleting a customer with everything under them, a backup taken first."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from kequ.errors import KequError
from kequ.i18n import t
from kequ.storage.database import Database
from kequ.storage.models import Customer

# Every table whose rows belong to one customer, and how they are found. The foreign keys
# (ON DELETE CASCADE, storage/models.py) remove them with the customer; complaint steps
# go with their complaint.
OWNED = {
    "interaction": "SELECT count(*) FROM interaction WHERE customer_id = :cid",
    "important_date": "SELECT count(*) FROM important_date WHERE customer_id = :cid",
    "gift": "SELECT count(*) FROM gift WHERE customer_id = :cid",
    "deal": "SELECT count(*) FROM deal WHERE customer_id = :cid",
    "complaint": "SELECT count(*) FROM complaint WHERE customer_id = :cid",
    "touchpoint": "SELECT count(*) FROM touchpoint WHERE customer_id = :cid",
    "cadence": "SELECT count(*) FROM cadence WHERE customer_id = :cid",
    "trip_visit": "SELECT count(*) FROM trip_visit WHERE customer_id = :cid",
}


def owned_rows(db: Database, customer_id: int) -> dict[str, int]:
    """How many rows of each table go with this customer (only tables with any)."""
    with db.session() as session:
        if session.get(Customer, customer_id) is None:
            raise KequError("customer.no_id", ref=customer_id)
        counts = {
            name: int(session.execute(text(sql), {"cid": customer_id}).scalar_one()) for name, sql in OWNED.items()
        }
    return {name: count for name, count in counts.items() if count}


def what_goes(counts: dict[str, int]) -> str:
    """12 条联系记录、3 个日期: what goes with a customer, in a few words."""
    parts = [t(f"removal.what.{table}", n=n) for table, n in counts.items()]
    return t("punct.list_sep").join(parts) if parts else t("removal.nothing_else")


def delete_customer(db: Database, customer_id: int) -> Path:
    """Back the book up, then delete the customer and all that is theirs; the backup's path.

    Someone they referred keeps their record, without the referrer. No backup, no
    deletion: a failed copy raises before anything is removed.
    """
    from kequ.storage.backups import make_backup

    with db.session() as session:
        if session.get(Customer, customer_id) is None:
            raise KequError("customer.no_id", ref=customer_id)
    backup = make_backup(db.path, "before-delete")
    with db.session() as session:
        session.execute(text("DELETE FROM customer WHERE id = :cid"), {"cid": customer_id})
    return backup
