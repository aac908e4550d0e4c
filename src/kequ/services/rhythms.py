"""A customer's own rhythm of calls and visits: read, set, reset (kequ.domain.rhythms).

A tier's rhythms are settings (``kequ config rhythm.regular.call 60``, kequ.services.settings);
what is here is the one customer's, kept as their ``cadence`` rows. The agenda reads both
each time it is drawn, so a change moves Today at once.
"""

from __future__ import annotations

from collections.abc import Mapping

from kequ.domain.rhythms import RHYTHM_KINDS, CustomerRhythm, parse_days, setting_key
from kequ.errors import KequError
from kequ.storage.database import Database
from kequ.storage.fast_reads.settings import read_settings

_OWN = "SELECT kind, interval_days FROM cadence WHERE customer_id = ? AND kind IN ('call', 'visit')"


def customer_rhythm(db: Database, customer_id: int) -> CustomerRhythm:
    """The customer's rhythms: their tier's, and their own where they set one."""
    with db.reader() as conn:
        found = conn.execute("SELECT tier FROM customer WHERE id = ?", (customer_id,)).fetchone()
        if found is None:
            raise KequError("customer.no_id", ref=customer_id)
        tier = found[0]
        settings = read_settings(conn)
        own = dict(conn.execute(_OWN, (customer_id,)).fetchall())
    tier_days = {kind: int(settings[setting_key(tier, kind)]) for kind in RHYTHM_KINDS}  # type: ignore[call-overload]
    return CustomerRhythm(customer_id, tier, tier_days, own)


def set_customer_rhythm(db: Database, customer_id: int, days: Mapping[str, object | None]) -> CustomerRhythm:
    """Give the customer their own interval for each kind in ``days`` (``{"call": 14}``,
    ``{"visit": "90"}``); None takes that kind back to the tier's, kinds left out keep what
    they had. 0 switches a rhythm off. Every value is checked before anything is stored."""
    unknown = [kind for kind in days if kind not in RHYTHM_KINDS]
    if unknown:
        raise ValueError(f"not a rhythm: {unknown}")
    checked = {kind: None if value is None else parse_days(value, kind) for kind, value in days.items()}  # type: ignore[arg-type]
    from sqlmodel import select

    from kequ.storage.models import Cadence, Customer

    with db.session() as session:
        if session.get(Customer, customer_id) is None:
            raise KequError("customer.no_id", ref=customer_id)
        for kind, interval in checked.items():
            row = session.exec(select(Cadence).where(Cadence.customer_id == customer_id, Cadence.kind == kind)).first()
            if interval is None:
                if row is not None:
                    session.delete(row)
                continue
            row = row or Cadence(customer_id=customer_id, kind=kind, interval_days=interval)
            row.interval_days = interval
            session.add(row)
    return customer_rhythm(db, customer_id)


def reset_customer_rhythm(db: Database, customer_id: int) -> CustomerRhythm:
    """Back to the tier's rhythms: the customer's own calls and visits forgotten."""
    return set_customer_rhythm(db, customer_id, dict.fromkeys(RHYTHM_KINDS))
