"""Recording gifts, warning against repeats, and what they cost per year."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import col, select

from kequ.domain.gifts import repeat_of
from kequ.domain.records import GiftRecord
from kequ.domain.validation import MAX_NOTE, MAX_SHORT, clean_text
from kequ.domain.vocab import GiftReaction
from kequ.errors import KequError
from kequ.storage.database import Database
from kequ.storage.models import Customer, Gift
from kequ.storage.rows import add_and_number, delete_by_id


def gifts_of(db: Database, customer_id: int) -> list[GiftRecord]:
    with db.session() as session:
        rows = session.exec(select(Gift).where(Gift.customer_id == customer_id).order_by(col(Gift.given_on).desc()))
        return [GiftRecord(g.id or 0, g.given_on, g.item, g.cost_cents, g.occasion, g.reaction, g.note) for g in rows]


def _checked(item: str, cost_cents: int | None) -> str:
    item = clean_text(item, MAX_SHORT, "item")
    if not item:
        raise KequError("gift.empty_item")
    if cost_cents is not None and cost_cents < 0:
        raise KequError("input.bad_amount", value=cost_cents)
    return item


def _refuse_repeat(item: str, earlier_gifts: list[GiftRecord]) -> None:
    earlier = repeat_of(item, earlier_gifts)
    if earlier is not None:
        raise KequError("gift.repeat", item=earlier.item, day=earlier.given_on.isoformat())


def add_gift(
    db: Database,
    customer_id: int,
    given_on: date,
    item: str,
    cost_cents: int | None = None,
    occasion: str = "",
    reaction: str = GiftReaction.UNKNOWN.value,
    note: str = "",
    *,
    allow_repeat: bool = False,
) -> int:
    """Record a gift; the same item twice is refused unless the user insists."""
    item = _checked(item, cost_cents)
    if not allow_repeat:
        _refuse_repeat(item, gifts_of(db, customer_id))
    row = Gift(
        customer_id=customer_id,
        given_on=given_on,
        item=item,
        cost_cents=cost_cents,
        occasion=clean_text(occasion, MAX_SHORT, "occasion"),
        reaction=GiftReaction(reaction).value,
        note=clean_text(note, MAX_NOTE, "note"),
    )
    with db.session() as session:
        if session.get(Customer, customer_id) is None:
            raise KequError("customer.no_id", ref=customer_id)
        return add_and_number(session, row)


def update_gift(db: Database, gift: GiftRecord, *, allow_repeat: bool = False) -> None:
    """Correct gift ``gift.id`` to what ``gift`` says. Renamed to something this person
    already received, it is refused as a new one would be, unless the user insists."""
    item = _checked(gift.item, gift.cost_cents)
    with db.session() as session:
        row = session.get(Gift, gift.id)
        if row is None:
            raise KequError("gift.gone", ref=gift.id)
        customer_id, was = row.customer_id, row.item
    if not allow_repeat and item != was:
        _refuse_repeat(item, [g for g in gifts_of(db, customer_id) if g.id != gift.id])
    with db.session() as session:
        row = session.get(Gift, gift.id)
        if row is None:
            raise KequError("gift.gone", ref=gift.id)
        row.given_on = gift.given_on
        row.item = item
        row.cost_cents = gift.cost_cents
        row.occasion = clean_text(gift.occasion, MAX_SHORT, "occasion")
        row.reaction = GiftReaction(gift.reaction).value
        row.note = clean_text(gift.note, MAX_NOTE, "note")
        session.add(row)


def delete_gift(db: Database, gift_id: int) -> None:
    """Remove a gift recorded by mistake; one already gone is not an error."""
    delete_by_id(db, Gift, gift_id)


def total_spend(db: Database, year: int) -> tuple[int, int]:
    """(cost in cents, number of gifts) over the whole book for one year."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    with db.session() as session:
        cents, count = session.exec(
            select(func.coalesce(func.sum(Gift.cost_cents), 0), func.count()).where(
                Gift.given_on >= start, Gift.given_on <= end
            )
        ).one()
        return int(cents), int(count)
