"""Two customer records that are one person, made one: nothing of either is lost."""

from __future__ import annotations

from typing import Any

from kequ.storage import clock

# What customers.refresh_search_keys reads: only a change there needs new keys.
SEARCHED = ("honorific", "company", "phones", "wechat", "email", "city", "tags")

# Ids per IN (...) query, well under SQLite's limit on bound parameters.
ID_CHUNK = 900

_FILL_FIELDS = ("honorific", "company", "title", "wechat", "email", "city", "district", "address", "source")


def absorb_values(target: dict[str, Any], extra: dict[str, Any]) -> None:
    """Fill what the target lacks; phones and tags are united; notes are kept, not lost."""
    for name in (*_FILL_FIELDS, "interests"):
        if not target.get(name) and extra.get(name):
            target[name] = extra[name]
    for name in ("phones", "tags"):
        merged = list(target.get(name) or [])
        merged.extend(v for v in extra.get(name) or [] if v not in merged)
        target[name] = merged
    for name in ("tier", "disc", "gender"):
        if target.get(name) is None and extra.get(name) is not None:
            target[name] = extra[name]
    note = extra.get("notes") or ""
    if note and note not in (target.get("notes") or ""):
        target["notes"] = f"{target['notes']}\n{note}" if target.get("notes") else note


def row_values(row: Any) -> dict[str, Any]:
    names = (*_FILL_FIELDS, "interests", "phones", "tags", "disc", "gender", "notes")
    return {name: getattr(row, name) for name in names}


def apply_values(row: Any, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name == "tier" or getattr(row, name) == value:
            continue
        setattr(row, name, list(value) if isinstance(value, list) else value)


def merge_customers(session: Any, keep_id: int, drop_id: int) -> None:
    """Fold customer ``drop_id`` into ``keep_id``: every interaction, date, deal, gift,
    complaint and planned touch moves over, then ``drop_id`` is deleted.

    Runs inside the caller's transaction. Where both have the same handled occurrence or
    the same rhythm override, the kept customer's row wins and the other's interactions
    are re-pointed to it, so no contact is ever lost.
    """
    from sqlalchemy import text

    from kequ.domain.vocab import ONE_OFF_DATE_KINDS
    from kequ.services.customers import refresh_search_keys
    from kequ.storage.models import Customer

    keep = session.get(Customer, keep_id)
    drop = session.get(Customer, drop_id)
    if keep is None or drop is None or keep_id == drop_id:
        return
    params = {"keep": keep_id, "drop": drop_id}
    run = session.execute
    # Touchpoints: one per (customer, source, occurrence); a clash keeps the kept one's.
    run(
        text(
            "UPDATE interaction SET touchpoint_id = (SELECT k.id FROM touchpoint d JOIN touchpoint k"
            " ON k.customer_id = :keep AND k.source_key = d.source_key AND k.occurrence = d.occurrence"
            " WHERE d.id = interaction.touchpoint_id)"
            " WHERE touchpoint_id IN (SELECT d.id FROM touchpoint d JOIN touchpoint k ON k.customer_id = :keep"
            " AND k.source_key = d.source_key AND k.occurrence = d.occurrence WHERE d.customer_id = :drop)"
        ),
        params,
    )
    run(
        text(
            "DELETE FROM touchpoint WHERE customer_id = :drop AND EXISTS (SELECT 1 FROM touchpoint k"
            " WHERE k.customer_id = :keep AND k.source_key = touchpoint.source_key"
            " AND k.occurrence = touchpoint.occurrence)"
        ),
        params,
    )
    run(
        text(
            "DELETE FROM cadence WHERE customer_id = :drop AND kind IN"
            " (SELECT kind FROM cadence WHERE customer_id = :keep)"
        ),
        params,
    )
    # The same life event on the same day of another year is another event, not a duplicate.
    once = ", ".join(f"'{kind}'" for kind in ONE_OFF_DATE_KINDS)
    run(
        text(
            "DELETE FROM important_date WHERE customer_id = :drop AND EXISTS (SELECT 1 FROM important_date k"
            " WHERE k.customer_id = :keep AND k.kind = important_date.kind AND k.month = important_date.month"
            " AND k.day = important_date.day AND k.lunar = important_date.lunar AND k.leap = important_date.leap"
            f" AND (k.year IS important_date.year OR important_date.kind NOT IN ({once})))"
        ),
        params,
    )
    for table in ("touchpoint", "cadence", "important_date", "interaction", "deal", "gift", "complaint"):
        run(text(f"UPDATE {table} SET customer_id = :keep WHERE customer_id = :drop"), params)
    run(text("UPDATE customer SET referrer_id = :keep WHERE referrer_id = :drop AND id != :keep"), params)
    merged = row_values(keep)
    absorb_values(merged, row_values(drop))
    apply_values(keep, merged)
    if keep.referrer_id == drop_id:
        keep.referrer_id = drop.referrer_id if drop.referrer_id != keep_id else None
    keep.created_at = min(keep.created_at, drop.created_at)
    keep.churned = keep.churned and drop.churned
    keep.updated_at = clock.now()
    refresh_search_keys(keep)
    session.flush()
    # The moved rows were changed behind the ORM's back: it must not cascade on them.
    session.expire_all()
    session.delete(session.get(Customer, drop_id))
    session.flush()
