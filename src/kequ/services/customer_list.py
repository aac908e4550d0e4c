"""The customer list: every customer with what the filters and the search need."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import select

from kequ.domain.agenda.rules import TIER_WEIGHT
from kequ.domain.records import CustomerRow
from kequ.services.agenda import local_day
from kequ.storage import clock
from kequ.storage.database import Database
from kequ.storage.fast_reads.agenda import agenda
from kequ.storage.models import Customer, Interaction


def customer_rows(db: Database, today: date | None = None) -> list[CustomerRow]:
    today = today or clock.today()
    # What is due as Today reads it (the user's holiday files and first touches included).
    items = agenda(db, today)
    with db.session() as session:
        last_any = dict(
            session.exec(
                select(Interaction.customer_id, func.max(Interaction.happened_at)).group_by(Interaction.customer_id)
            ).all()
        )
        rows = session.exec(
            select(
                Customer.id,
                Customer.name,
                Customer.honorific,
                Customer.company,
                Customer.title,
                Customer.city,
                Customer.tier,
                Customer.disc,
                Customer.relation_type,
                Customer.tags,
                Customer.search_keys,
                Customer.phones,
                Customer.churned,
            )
        ).all()
    owed = {item.customer_id for item in items}
    risky = {item.customer_id for item in items if item.at_risk}
    return [
        CustomerRow(
            id=cid,
            name=name,
            honorific=honorific,
            company=company,
            title=title,
            city=city,
            tier=tier,
            disc=disc,
            relation_type=relation,
            tags=tuple(tags),
            search_keys=keys,
            last_contact=local_day(last_any[cid]) if cid in last_any else None,
            at_risk=cid in risky,
            has_due=cid in owed,
            phones=tuple(phones),
            churned=bool(churned),
        )
        for cid, name, honorific, company, title, city, tier, disc, relation, tags, keys, phones, churned in rows
    ]


def search_customers(db: Database, query: str, limit: int | None = None) -> list[CustomerRow]:
    """The command line's search: the same index and ranking as the Customers screen."""
    from kequ.domain.search import Candidate, SearchIndex

    rows = {row.id: row for row in customer_rows(db)}
    index = SearchIndex(Candidate(r.id, r.search_keys, r.name, TIER_WEIGHT.get(r.tier, 0)) for r in rows.values())
    return [rows[i] for i in index.search(query, limit=limit)]
