"""Which incoming rows are customers the book already has, or repeat each other."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kequ.domain.duplicates import duplicate_keys, key_index
from kequ.exchange.imports.report import DuplicateRow, ImportReport
from kequ.exchange.imports.rows import Candidate


@dataclass
class Plan:
    candidates: list[Candidate] = field(default_factory=list)
    parent: dict[int, int] = field(default_factory=dict)  # existing customer merged into another

    def find(self, customer_id: int) -> int:
        while self.parent.get(customer_id, customer_id) != customer_id:
            customer_id = self.parent[customer_id]
        return customer_id

    def resolve(self, candidate: Candidate) -> tuple[str, int | Candidate]:
        while candidate.into_row is not None:
            candidate = candidate.into_row
        if candidate.into_db is not None:
            return "db", self.find(candidate.into_db)
        return "row", candidate


def existing_index(db: Any) -> dict[tuple[str, str], list[int]]:
    """The book's customers by their duplicate keys (a customer known by a name alone by
    ``_name_only``), read in plain SQL and keyed column by column."""
    from kequ.storage.fast_reads.duplicate_keys import key_fields

    customers, phones = key_fields(db)
    index, keyless = key_index(customers, phones)
    names = {row[0]: row[1] for row in customers} if keyless else {}
    for cid in keyless:
        for key in _name_only(names[cid]):
            index.setdefault(key, []).append(cid)
    return index


def _name_only(name: str) -> list[tuple[str, str]]:
    """The key of a customer known by a name alone (no company, phone, WeChat or e-mail).

    Two such 王总 in one file may be two people; but one coming in again beside the one
    the book has is the same card imported twice, as re-importing a phone's export does.
    Only compared with the book, never within the file.
    """
    folded = "".join(unicodedata.normalize("NFKC", name).casefold().split())
    return [("name_only", folded)] if folded else []


def plan_duplicates(
    candidates: Iterator[Candidate],
    existing: dict[tuple[str, str], list[int]],
    on_duplicate: str,
    report: ImportReport,
) -> Plan:
    plan = Plan()
    in_file: dict[tuple[str, str], Candidate] = {}
    for candidate in candidates:
        d = candidate.data
        keys = duplicate_keys(d["name"], d["company"], d["phones"], d["wechat"], d["email"])
        db_ids: set[int] = set()
        rows: dict[int, Candidate] = {}
        by = ""
        for key in keys or _name_only(d["name"]):
            hits = [plan.find(i) for i in existing.get(key, ())]
            earlier = in_file.get(key) if keys else None
            if earlier is not None:
                kind, target = plan.resolve(earlier)
                if kind == "db":
                    hits.append(target)  # type: ignore[arg-type]
                else:
                    rows[id(target)] = target  # type: ignore[assignment]
            if (hits or earlier is not None) and not by:
                by = key[0]
            db_ids.update(hits)  # type: ignore[arg-type]
        if not db_ids and not rows:
            plan.candidates.append(candidate)
            for key in keys:
                in_file.setdefault(key, candidate)
            continue
        first_row = min(rows.values(), key=lambda c: c.line) if rows else None
        matched = min(db_ids) if db_ids else None
        other_line = None if db_ids or first_row is None else first_row.line
        if on_duplicate == "skip":
            report.skipped += 1
            report.duplicates.append(
                DuplicateRow(candidate.line, d["name"], by, "skipped", customer_id=matched, other_line=other_line)
            )
            continue
        plan.candidates.append(candidate)
        absorbed: tuple[int, ...] = ()
        if db_ids:
            keep = min(db_ids)
            absorbed = tuple(sorted(db_ids - {keep}))
            for other in absorbed:
                plan.parent[other] = keep
            for row in rows.values():
                row.into_db = keep
            candidate.into_db = keep
        else:
            assert first_row is not None
            for row in rows.values():
                if row is not first_row:
                    row.into_row = first_row
            candidate.into_row = first_row
        for key in keys:
            in_file.setdefault(key, candidate)
        report.duplicates.append(
            DuplicateRow(
                candidate.line,
                d["name"],
                by,
                "merged",
                customer_id=matched,
                other_line=other_line,
                absorbed_ids=absorbed,
            )
        )
    return plan
