"""Writing the accepted rows and merges in one transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kequ.domain.calendar.lunar import AnnualDate
from kequ.errors import KequError
from kequ.exchange.imports.duplicates import Plan
from kequ.exchange.imports.fields import PROGRESS_EVERY, Progress
from kequ.exchange.imports.report import ImportReport
from kequ.exchange.imports.rows import Candidate
from kequ.services.merging import ID_CHUNK, SEARCHED, absorb_values, apply_values, merge_customers, row_values
from kequ.storage import clock


def _customer_values(data: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Column values for one new customer (a seam the rollback test breaks).

    Checked by ``check_new_customer`` and keyed by ``search_keys`` exactly as
    ``new_customer_row`` does for a form, but as a plain dict: building 10,000 SQLModel
    objects costs more than the whole insert.
    """
    from kequ.domain.records import NewCustomer
    from kequ.domain.search import search_keys
    from kequ.domain.validation import check_new_customer

    clean = check_new_customer(
        NewCustomer(
            name=data["name"],
            honorific=data["honorific"],
            company=data["company"],
            title=data["title"],
            phones=tuple(data["phones"]),
            wechat=data["wechat"],
            email=data["email"],
            city=data["city"],
            tier=data["tier"] or "regular",
            disc=data["disc"],
            gender=data.get("gender"),
            tags=tuple(data["tags"]),
            notes=data["notes"],
        )
    )
    phones, tags = list(clean.phones), list(clean.tags)
    return {
        "name": clean.name,
        "honorific": clean.honorific,
        "company": clean.company,
        "title": clean.title,
        "company_role": None,
        "phones": phones,
        "wechat": clean.wechat,
        "email": clean.email,
        "city": clean.city,
        "district": data["district"],
        "address": data["address"],
        "tier": clean.tier,
        "stage": "existing",
        "disc": clean.disc,
        "relation_type": None,
        "ladder": None,
        "ford_family": "",
        "ford_occupation": "",
        "ford_recreation": "",
        "ford_dreams": "",
        "interests": data["interests"],
        "tags": tags,
        "source": data["source"],
        "referrer_id": None,
        "churned": False,
        "churn_reason": "",
        "notes": clean.notes,
        # The same fields, in the same order, as customers.refresh_search_keys.
        "search_keys": search_keys(
            clean.name, clean.honorific, clean.company, phones, clean.wechat, clean.email, clean.city, tags
        ),
        "created_at": now,
        "updated_at": now,
        "gender": clean.gender,
    }


DateKey = tuple[str, int, int, bool, bool]  # kind, month, day, lunar, leap


def _date_values(customer_id: int, dates: list[tuple[str, AnnualDate]], have: set[DateKey]) -> list[Any]:
    out = []
    for kind, annual in dates:
        key = (kind, annual.month, annual.day, annual.lunar, annual.leap)
        if key in have:
            continue
        have.add(key)
        out.append(
            {
                "customer_id": customer_id,
                "kind": kind,
                "label": "",
                "month": annual.month,
                "day": annual.day,
                "lunar": annual.lunar,
                "leap": annual.leap,
                "year": annual.year,
                "lead_days": 0,
            }
        )
    return out


def write_plan(db: Any, plan: Plan, report: ImportReport, progress: Progress | None) -> None:
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError, StatementError
    from sqlmodel import select

    from kequ.services.customers import refresh_search_keys
    from kequ.storage.models import Customer, ImportantDate

    new_groups: dict[int, list[Candidate]] = {}
    heads: dict[int, Candidate] = {}
    db_groups: dict[int, list[Candidate]] = {}
    for candidate in plan.candidates:
        kind, target = plan.resolve(candidate)
        if kind == "db":
            db_groups.setdefault(target, []).append(candidate)  # type: ignore[arg-type]
        else:
            heads[id(target)] = target  # type: ignore[assignment]
            new_groups.setdefault(id(target), []).append(candidate)
    total = len(new_groups) + len(db_groups)
    done = 0
    now = clock.now()
    customers = Customer.__table__  # type: ignore[attr-defined]
    batch = PROGRESS_EVERY * 4
    try:
        with db.session() as session:
            for drop in sorted(plan.parent):
                merge_customers(session, plan.find(drop), drop)
            values: list[dict[str, Any]] = []
            all_dates: list[list[tuple[str, AnnualDate]]] = []
            for key, group in new_groups.items():
                data = dict(heads[key].data)
                dates = list(heads[key].dates)
                for other in group:
                    if other is not heads[key]:
                        absorb_values(data, other.data)
                        dates.extend(d for d in other.dates if d not in dates)
                values.append(_customer_values(data, now))
                all_dates.append(dates)
            ids: list[int] = []
            # RETURNING in parameter order pairs each new id with its row's birthdays.
            statement = insert(customers).returning(customers.c.id, sort_by_parameter_order=True)
            for start in range(0, len(values), batch):
                ids.extend(session.execute(statement, values[start : start + batch]).scalars())
                done += len(values[start : start + batch])
                if progress is not None:
                    progress("write", done, total)
            new_dates = [
                row for cid, dates in zip(ids, all_dates, strict=True) for row in _date_values(cid, dates, set())
            ]
            if new_dates:
                session.execute(insert(ImportantDate.__table__), new_dates)  # type: ignore[attr-defined]
            if db_groups:
                have: dict[int, set[DateKey]] = {}
                query = select(ImportantDate.customer_id, ImportantDate.kind, ImportantDate.month).add_columns(
                    ImportantDate.day, ImportantDate.lunar, ImportantDate.leap
                )
                kinds = ("birthday", "anniversary")
                for cid, kind, month, day, lunar, leap in session.exec(query.where(ImportantDate.kind.in_(kinds))):  # type: ignore[attr-defined]
                    if cid in db_groups:
                        have.setdefault(cid, set()).add((kind, month, day, lunar, leap))
                targets = list(db_groups)
                loaded: dict[int, Any] = {}
                for start in range(0, len(targets), ID_CHUNK):
                    chunk = targets[start : start + ID_CHUNK]
                    for row in session.exec(select(Customer).where(Customer.id.in_(chunk))):  # type: ignore[union-attr]
                        loaded[row.id] = row
                # One flush at the end, not one per customer before every query.
                with session.no_autoflush:
                    for customer_id, group in db_groups.items():
                        row = loaded.get(customer_id)
                        if row is None:  # deleted by another window since the plan was made
                            raise KequError("customer.no_id", ref=customer_id)
                        before = row_values(row)
                        merged = dict(before)
                        dates = []
                        for candidate in group:
                            absorb_values(merged, candidate.data)
                            dates.extend(candidate.dates)
                        if merged != before:
                            apply_values(row, merged)
                            if any(merged[f] != before[f] for f in SEARCHED if f in merged):
                                refresh_search_keys(row)
                            row.updated_at = now
                        extra = _date_values(customer_id, dates, have.setdefault(customer_id, set()))
                        session.add_all(ImportantDate(**item) for item in extra)
                        done += 1
                        if progress is not None and done % PROGRESS_EVERY == 0:
                            progress("write", done, total)
            session.flush()
            report.customer_ids = ids
    except (IntegrityError, StatementError) as error:
        detail = str(getattr(error, "orig", None) or error).splitlines()[0][:200]
        raise KequError("io.import.rolled_back", detail=detail) from error


def count_outcomes(plan: Plan, report: ImportReport) -> None:
    heads: set[int] = set()
    merged = 0
    for candidate in plan.candidates:
        kind, target = plan.resolve(candidate)
        if kind == "row" and target is candidate:
            heads.add(id(candidate))
        else:
            merged += 1
    report.added = len(heads)
    report.merged = merged
