"""A customer's row as a ``CustomerRecord``, without the ORM: the model's rows and the
plain-SQL reads' rows (kequ.storage.fast_reads.profile) carry the same attributes."""

from __future__ import annotations

from typing import Any

from kequ.domain.records import CustomerRecord


def to_record(row: Any) -> CustomerRecord:
    """A customer row (the model, or the profile's plain-SQL row with the same attributes)
    as the record the screens and commands use."""
    assert row.id is not None
    return CustomerRecord(
        id=row.id,
        name=row.name,
        honorific=row.honorific,
        company=row.company,
        title=row.title,
        city=row.city,
        tier=row.tier,
        disc=row.disc,
        relation_type=row.relation_type,
        ladder=row.ladder,
        phones=tuple(row.phones),
        wechat=row.wechat,
        email=row.email,
        tags=tuple(row.tags),
        notes=row.notes,
        churned=row.churned,
        added_on=row.created_at.astimezone().date(),
        gender=row.gender,
        version=row.updated_at,
    )
