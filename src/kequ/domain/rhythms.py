"""How often I call and visit: per tier (settings) and per customer (their own).

Pure. Three layers, the later winning: the playbook's cadences
(``kequ.domain.agenda.rules.DEFAULT_CADENCES``), the user's setting for the tier
(``rhythm.<tier>.<call|visit>``, kequ.domain.settings) and the customer's own rhythm
(the ``cadence`` rows of that customer). 0 days means no such rhythm.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kequ.domain.agenda.rules import DEFAULT_CADENCES
from kequ.domain.values import whole_number
from kequ.errors import KequError
from kequ.i18n import t
from kequ.inert import inert_text

# The rhythms a user sets; other kinds (messages, gifts) keep the playbook's.
RHYTHM_KINDS: tuple[str, ...] = ("call", "visit")
# The schema's limit (cadence.ck_interval): ten years.
MAX_RHYTHM_DAYS = 3660


def setting_key(tier: str, kind: str) -> str:
    """``rhythm.regular.call``: the setting of a tier's rhythm of one kind."""
    return f"rhythm.{tier}.{kind}"


def default_days(tier: str, kind: str) -> int:
    """The playbook's interval for a tier, 0 where it has none (no visits to a regular customer)."""
    return DEFAULT_CADENCES.get(tier, {}).get(kind, 0)


def parse_days(value: str | int | None, kind: str) -> int:
    """Days as typed (``14``, ``１４``) or given, or a KequError saying what would do."""
    if isinstance(value, bool):
        raise KequError("rhythm.bad_days", kind=t(f"vocab.kind.{kind}"), value=repr(value), most=MAX_RHYTHM_DAYS)
    typed = str(value if value is not None else "")
    days = whole_number(typed)
    if days is None or days > MAX_RHYTHM_DAYS:
        raise KequError("rhythm.bad_days", kind=t(f"vocab.kind.{kind}"), value=inert_text(typed), most=MAX_RHYTHM_DAYS)
    return days


@dataclass(frozen=True, slots=True)
class CustomerRhythm:
    """One customer's rhythms: their tier's, and their own where they have one."""

    customer_id: int
    tier: str
    tier_days: Mapping[str, int]  # {kind: days} as the tier's settings say
    own: Mapping[str, int] = field(default_factory=dict)  # {kind: days} set for this customer

    def days(self, kind: str) -> int:
        return self.own.get(kind, self.tier_days.get(kind, 0))

    def is_own(self, kind: str) -> bool:
        return kind in self.own

    def describe(self, lang: str | None = None) -> str:
        """电话每 14 天（自定）· 拜访每 180 天（按关键客户）: what is due how often, and why."""
        parts = []
        for kind in RHYTHM_KINDS:
            days = self.days(kind)
            what = t(f"vocab.kind.{kind}", lang)
            said = t("rhythm.every", lang, kind=what, days=days) if days else t("rhythm.none", lang, kind=what)
            tier = t(f"vocab.tier.{self.tier}", lang)
            whose = t("rhythm.own", lang) if self.is_own(kind) else t("rhythm.of_tier", lang, tier=tier)
            parts.append(f"{said}{whose}")
        return t("rhythm.sep", lang).join(parts)

    def as_json(self) -> dict[str, object]:
        return {
            "customer_id": self.customer_id,
            "tier": self.tier,
            **{kind: {"days": self.days(kind), "own": self.is_own(kind)} for kind in RHYTHM_KINDS},
        }
