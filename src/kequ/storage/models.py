"""The SQLModel tables: the whole data model, with its rules written into the schema.

Constraints live in the database as well as in the forms, so a script, an import or a
second window cannot store what the app would refuse. Screens never see these objects:
services turn rows into the plain values of ``kequ.domain.records``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, DateTime, Index, String, UniqueConstraint, text
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from kequ.domain.calendar.lunar import AnnualDate
from kequ.domain.trips import ExpenseCategory, VisitStatus
from kequ.domain.vocab import (
    COMPLAINT_STEPS,
    MAX_LEAD_DAYS,
    ONE_OFF_DATE_KINDS,
    CompanyRole,
    ComplaintCause,
    ComplaintStatus,
    DateKind,
    Disc,
    Formality,
    Gender,
    GiftReaction,
    Ladder,
    RelationType,
    Stage,
    Tier,
    TouchKind,
    TouchStatus,
)
from kequ.storage import clock


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out.

    SQLite keeps no zone, so a naive value would silently mean "whatever zone the writer
    had": naive input is refused, aware input is stored as UTC, reads get UTC attached.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime refused: attach a timezone before storing")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _one_of(column: str, enum: type[StrEnum], nullable: bool = False) -> CheckConstraint:
    values = ", ".join(f"'{member.value}'" for member in enum)
    test = f"{column} IN ({values})"
    if nullable:
        test = f"{column} IS NULL OR {test}"
    return CheckConstraint(test, name=f"ck_{column}_valid")


def _not_blank(column: str) -> CheckConstraint:
    return CheckConstraint(f"length(trim({column})) > 0", name=f"ck_{column}_not_blank")


def _uid() -> Field:  # type: ignore[valid-type]
    """The row's stable name for sync (schema step 13, so the last column): a UUID its
    table's insert trigger gives every new row that comes without one."""
    return Field(default=None, sa_column=Column("uid", String, nullable=True))


def _stamp() -> Field:  # type: ignore[valid-type]
    return Field(default_factory=clock.now, sa_column=Column(UTCDateTime(), nullable=False))


class Customer(SQLModel, table=True):
    """A person the salesperson looks after. Only ``name`` is required: "王总" will do."""

    __table_args__ = (
        Index("ix_customer_uid", "uid", unique=True),
        _not_blank("name"),
        _one_of("tier", Tier),
        _one_of("stage", Stage),
        _one_of("disc", Disc, nullable=True),
        _one_of("relation_type", RelationType, nullable=True),
        _one_of("ladder", Ladder, nullable=True),
        _one_of("company_role", CompanyRole, nullable=True),
        Index("ix_customer_company", "company"),
        Index("ix_customer_city", "city"),
        Index("ix_customer_tier", "tier"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str  # surname first; may be a surname alone
    honorific: str = ""  # how you address them: 王总, 李姐
    company: str = ""
    title: str = ""
    company_role: str | None = None
    phones: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    wechat: str = ""
    email: str = ""
    city: str = ""
    district: str = ""
    address: str = ""
    tier: str = Tier.REGULAR.value
    stage: str = Stage.EXISTING.value
    disc: str | None = None
    relation_type: str | None = None
    ladder: str | None = None
    ford_family: str = ""
    ford_occupation: str = ""
    ford_recreation: str = ""
    ford_dreams: str = ""
    interests: str = ""
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    source: str = ""
    referrer_id: int | None = Field(default=None, foreign_key="customer.id", ondelete="SET NULL")
    churned: bool = False
    churn_reason: str = ""
    notes: str = ""
    # Pinyin and initials, computed when the customer is saved so search never waits.
    search_keys: str = ""
    created_at: datetime = _stamp()
    updated_at: datetime = _stamp()
    # Added by schema step 4 (ALTER TABLE ... ADD COLUMN), so it is the last column and its
    # check sits on the column itself. None: not said; kequ.domain.gender guesses from the 称呼.
    gender: str | None = Field(
        default=None,
        sa_column=Column(
            "gender",
            String,
            CheckConstraint(
                "gender IS NULL OR gender IN (" + ", ".join(f"'{g.value}'" for g in Gender) + ")",
                name="ck_gender_valid",
            ),
            nullable=True,
        ),
    )
    # Added by schema step 6 (ADD COLUMN, so last): when the customer was marked lost
    # (流失) and the note said then; the reason is ``churn_reason`` (vocab.ChurnReason).
    churn_note: str = Field(default="", sa_column=Column("churn_note", String, nullable=False, server_default=""))
    churned_on: date | None = None
    uid: str | None = _uid()


class ImportantDate(SQLModel, table=True):
    """A yearly date (birthday, anniversary) or a one-off life event, solar or lunar.

    The kind says which (``vocab.ONE_OFF_DATE_KINDS``): a yearly date may omit its year,
    a life event happens on one full date, so its year is required.
    """

    __tablename__ = "important_date"
    __table_args__ = (
        Index("ix_important_date_uid", "uid", unique=True),
        _one_of("kind", DateKind),
        CheckConstraint(
            "year IS NOT NULL OR kind NOT IN (" + ", ".join(f"'{kind}'" for kind in ONE_OFF_DATE_KINDS) + ")",
            name="ck_one_off_has_year",
        ),
        CheckConstraint("month BETWEEN 1 AND 12", name="ck_month_range"),
        CheckConstraint("day BETWEEN 1 AND 31", name="ck_day_range"),
        CheckConstraint("lunar = 1 OR leap = 0", name="ck_leap_only_lunar"),
        CheckConstraint("lunar = 0 OR day <= 30", name="ck_lunar_day"),
        CheckConstraint(f"lead_days BETWEEN 0 AND {MAX_LEAD_DAYS}", name="ck_lead_days"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE", index=True)
    kind: str = DateKind.BIRTHDAY.value
    label: str = ""
    month: int
    day: int
    lunar: bool = False
    leap: bool = False
    year: int | None = None
    lead_days: int = 0

    @property
    def annual(self) -> AnnualDate:
        return AnnualDate(self.month, self.day, self.lunar, self.leap, self.year)

    uid: str | None = _uid()


class Touchpoint(SQLModel, table=True):
    """A touch planned by hand, or the handling of a derived one.

    Derived work (cadences, dates, festivals, the post-deal sequence) is computed, not
    stored; only what the user did with an occurrence is kept, keyed by
    (customer, source key, occurrence date), so nothing is ever due twice.
    """

    __table_args__ = (
        Index("ix_touchpoint_uid", "uid", unique=True),
        _one_of("kind", TouchKind),
        _one_of("status", TouchStatus),
        _not_blank("source_key"),
        UniqueConstraint("customer_id", "source_key", "occurrence", name="uq_touch_occurrence"),
        Index("ix_touch_status_due", "status", "due_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE", index=True)
    kind: str
    source_key: str  # "cadence:call", "date:12", "festival:mid_autumn", "deal:3:10", "manual"
    occurrence: date  # the date the item was originally due
    due_date: date  # where it is due now (moved by snoozing)
    status: str = TouchStatus.PLANNED.value
    reason: str = ""
    note: str = ""
    created_at: datetime = _stamp()
    handled_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    due_time: str | None = None  # (schema step 8) "HH:MM" when a planned touch has a time of day (明天下午4点电话)
    uid: str | None = _uid()


class Interaction(SQLModel, table=True):
    """A contact that happened: the customer's timeline."""

    __table_args__ = (
        Index("ix_interaction_uid", "uid", unique=True),
        _one_of("kind", TouchKind),
        Index("ix_interaction_customer_kind_time", "customer_id", "kind", "happened_at"),
        # Schema step 10: the review counts the contacts of the last weeks by kind and day.
        Index("ix_interaction_kind_time", "kind", "happened_at", "customer_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    kind: str
    happened_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    notes: str = ""
    outcome: str = ""
    touchpoint_id: int | None = Field(default=None, foreign_key="touchpoint.id", ondelete="SET NULL")
    uid: str | None = _uid()


class Cadence(SQLModel, table=True):
    """An override of the default rhythm, for one tier or for one customer.

    ``interval_days`` 0 switches the rhythm off for that customer or tier. A tier's calls
    and visits are settings since schema step 6 (kequ.domain.rhythms); a customer has one
    row per kind.
    """

    __table_args__ = (
        Index("ix_cadence_uid", "uid", unique=True),
        _one_of("kind", TouchKind),
        _one_of("tier", Tier, nullable=True),
        CheckConstraint("(customer_id IS NULL) <> (tier IS NULL)", name="ck_cadence_scope"),
        CheckConstraint("interval_days BETWEEN 0 AND 3660", name="ck_interval"),
        UniqueConstraint("customer_id", "tier", "kind", name="uq_cadence_scope_kind"),
        # The constraint above lets NULL tiers repeat: a customer's own rows need their own.
        Index(
            "uq_cadence_customer_kind",
            "customer_id",
            "kind",
            unique=True,
            sqlite_where=text("customer_id IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", ondelete="CASCADE")
    tier: str | None = None
    kind: str
    interval_days: int
    uid: str | None = _uid()


class Deal(SQLModel, table=True):
    """A closed deal: starts the 0-3-10-20 follow-up sequence."""

    __table_args__ = (
        Index("ix_deal_uid", "uid", unique=True),
        CheckConstraint("amount_cents IS NULL OR amount_cents >= 0", name="ck_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE", index=True)
    closed_on: date = Field(index=True)
    amount_cents: int | None = None
    note: str = ""
    created_at: datetime = _stamp()
    uid: str | None = _uid()


class Gift(SQLModel, table=True):
    __table_args__ = (
        Index("ix_gift_uid", "uid", unique=True),
        _not_blank("item"),
        _one_of("reaction", GiftReaction),
        CheckConstraint("cost_cents IS NULL OR cost_cents >= 0", name="ck_cost"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE", index=True)
    given_on: date
    item: str
    cost_cents: int | None = None
    occasion: str = ""
    reaction: str = GiftReaction.UNKNOWN.value
    note: str = ""
    uid: str | None = _uid()


class Complaint(SQLModel, table=True):
    __table_args__ = (
        Index("ix_complaint_uid", "uid", unique=True),
        _one_of("status", ComplaintStatus),
        _one_of("cause", ComplaintCause, nullable=True),
        CheckConstraint(f"step BETWEEN 1 AND {COMPLAINT_STEPS}", name="ck_step"),
        CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5", name="ck_satisfaction"),
        Index("ix_complaint_status", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE", index=True)
    opened_at: datetime = _stamp()
    status: str = ComplaintStatus.OPEN.value
    step: int = 1  # the step reached; the wizard resumes here
    summary: str = ""
    cause: str | None = None
    resolution: str = ""
    satisfaction: int | None = None
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    uid: str | None = _uid()


class ComplaintStep(SQLModel, table=True):
    """What happened at one of the nine steps; structured fields go in ``data``."""

    __tablename__ = "complaint_step"
    __table_args__ = (
        Index("ix_complaint_step_uid", "uid", unique=True),
        CheckConstraint(f"step BETWEEN 1 AND {COMPLAINT_STEPS}", name="ck_step"),
        UniqueConstraint("complaint_id", "step", name="uq_complaint_step"),
    )

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", ondelete="CASCADE")
    step: int
    notes: str = ""
    data: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = _stamp()
    uid: str | None = _uid()


class GreetingTemplate(SQLModel, table=True):
    """A message template; ``disc`` and ``formality`` empty mean "any"."""

    __tablename__ = "greeting_template"
    __table_args__ = (
        Index("ix_greeting_template_uid", "uid", unique=True),
        _not_blank("occasion"),
        _not_blank("body"),
        _one_of("disc", Disc, nullable=True),
        _one_of("formality", Formality, nullable=True),
        Index("ix_template_occasion", "occasion"),
    )

    id: int | None = Field(default=None, primary_key=True)
    occasion: str  # festival key, "birthday", "deal_thanks", "deal_call_3" ...
    disc: str | None = None
    formality: str | None = None
    body: str
    builtin: bool = False
    uid: str | None = _uid()


class Setting(SQLModel, table=True):
    """One of the user's settings; which keys there are, and their values, is
    kequ.domain.settings' business."""

    # "key" quoted: it is an SQL keyword, and the column's own DDL quotes it too.
    __table_args__ = (
        Index("ix_setting_uid", "uid", unique=True),
        CheckConstraint('length(trim("key")) > 0', name="ck_key_not_blank"),
    )

    key: str = Field(primary_key=True)
    value: dict[str, object] | list[object] | str | int | bool | None = Field(
        default=None, sa_column=Column(JSON, nullable=True)
    )
    uid: str | None = _uid()


class Trip(SQLModel, table=True):
    """A field trip (出差): some cities over some days, the visits planned there and what it cost."""

    __table_args__ = (
        Index("ix_trip_uid", "uid", unique=True),
        _not_blank("name"),
        CheckConstraint("end_on >= start_on", name="ck_trip_dates"),
        Index("ix_trip_start_on", "start_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str
    cities: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    start_on: date
    end_on: date
    notes: str = ""
    created_at: datetime = _stamp()
    uid: str | None = _uid()


class TripVisit(SQLModel, table=True):
    """One visit on a trip: the plan before it and the write-up after it."""

    __tablename__ = "trip_visit"
    __table_args__ = (
        Index("ix_trip_visit_uid", "uid", unique=True),
        _one_of("status", VisitStatus),
        _one_of("next_kind", TouchKind, nullable=True),
        # "HH:MM" in the salesperson's local time; portable SQL, no GLOB.
        CheckConstraint("time IS NULL OR (length(time) = 5 AND substr(time, 3, 1) = ':')", name="ck_visit_time"),
        Index("ix_trip_visit_day", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    trip_id: int = Field(foreign_key="trip.id", ondelete="CASCADE", index=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE", index=True)
    day: date
    time: str | None = None
    place: str = ""
    purpose: str = ""
    bring: str = ""
    status: str = VisitStatus.PLANNED.value
    learned: str = ""
    needs: str = ""
    competitors: str = ""
    next_step: str = ""
    # Where the next step was scheduled (after moving past taken days), to find it again.
    next_on: date | None = None
    next_kind: str | None = None
    interaction_id: int | None = Field(default=None, foreign_key="interaction.id", ondelete="SET NULL")
    uid: str | None = _uid()


class TripExpense(SQLModel, table=True):
    __tablename__ = "trip_expense"
    __table_args__ = (
        Index("ix_trip_expense_uid", "uid", unique=True),
        _one_of("category", ExpenseCategory),
        CheckConstraint("amount_cents >= 0", name="ck_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    trip_id: int = Field(foreign_key="trip.id", ondelete="CASCADE", index=True)
    day: date
    amount_cents: int
    category: str = ExpenseCategory.OTHER.value
    note: str = ""
    uid: str | None = _uid()
