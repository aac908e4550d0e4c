"""The fixed vocabularies of the domain: tiers, DISC types, kinds of touch.

Values are short English words because they are stored in the database and printed in
JSON; what a person reads comes from the translation layer under ``vocab.<enum>.<value>``.
"""

from __future__ import annotations

from enum import StrEnum


class Tier(StrEnum):
    KEY = "key"  # 关键客户
    POTENTIAL = "potential"  # 潜力客户
    REGULAR = "regular"  # 常规客户
    TEMPORARY = "temporary"  # 临时客户


class Stage(StrEnum):
    PROSPECT = "prospect"
    NEW = "new"
    EXISTING = "existing"


class Disc(StrEnum):
    D = "D"  # 力量型
    I = "I"  # 活泼型  # noqa: E741 - the DISC letter itself
    S = "S"  # 和平型
    C = "C"  # 完美型


class RelationType(StrEnum):
    FAMILY = "family"  # 亲人型
    FRIEND = "friend"  # 朋友型
    ADVISER = "adviser"  # 顾问型
    STAR = "star"  # 明星型


class Gender(StrEnum):
    """Optional; when not stored, kequ.domain.gender guesses it from the 称呼."""

    FEMALE = "female"  # 女
    MALE = "male"  # 男


class Ladder(StrEnum):
    """The relationship ladder, in order: each step is earned after the one before."""

    ACQUAINTED = "acquainted"  # 相识
    UNDERSTOOD = "understood"  # 相知
    RESPECTED = "respected"  # 尊重
    FRIENDSHIP = "friendship"  # 友谊
    TRUST = "trust"  # 信任
    LOYALTY = "loyalty"  # 忠诚


class CompanyRole(StrEnum):
    DECISION_MAKER = "decision_maker"
    BUYER = "buyer"
    USER = "user"
    INFLUENCER = "influencer"
    INFORMED = "informed"
    ASSISTANT = "assistant"


class TouchKind(StrEnum):
    CALL = "call"
    VISIT = "visit"
    GIFT = "gift"
    MESSAGE = "message"
    EMAIL = "email"
    THANKS = "thanks"
    FESTIVAL = "festival"
    COMPLAINT = "complaint"


class TouchStatus(StrEnum):
    PLANNED = "planned"  # entered by hand, waiting
    DONE = "done"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"


class DateKind(StrEnum):
    # Yearly: the stored year, if any, is when it began (a birth year).
    BIRTHDAY = "birthday"
    ANNIVERSARY = "anniversary"
    OTHER = "other"
    # Life events (人生大事): each happens once, on a full date whose year is required.
    WEDDING = "wedding"  # 婚礼
    BABY = "baby"  # 添丁
    EXAM = "exam"  # 孩子升学：中考、高考、录取
    PROMOTION = "promotion"  # 升职
    RELOCATION = "relocation"  # 乔迁
    NEW_PROJECT = "new_project"  # 新项目、开业
    ILLNESS = "illness"  # 生病住院
    BEREAVEMENT = "bereavement"  # 丧事


# Whether a date recurs follows from its kind alone, so no column can contradict it: a
# wedding is a day with a year, its anniversary is a separate yearly date. The schema
# requires the year for these (models.ImportantDate); what kequ does about each one is
# in kequ.domain.life_events.
ONE_OFF_DATE_KINDS: tuple[str, ...] = (
    DateKind.WEDDING.value,
    DateKind.BABY.value,
    DateKind.EXAM.value,
    DateKind.PROMOTION.value,
    DateKind.RELOCATION.value,
    DateKind.NEW_PROJECT.value,
    DateKind.ILLNESS.value,
    DateKind.BEREAVEMENT.value,
)


class ComplaintStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # handled: resolved, rated and followed up
    WITHDRAWN = "withdrawn"  # 撤销: taken back or opened by mistake; never counted as handled


class ComplaintCause(StrEnum):
    PRODUCT = "product"
    SERVICE = "service"
    DELIVERY = "delivery"
    PRICE = "price"
    MISUNDERSTANDING = "misunderstanding"
    OTHER = "other"


class GiftReaction(StrEnum):
    UNKNOWN = "unknown"
    LIKED = "liked"
    NEUTRAL = "neutral"
    DISLIKED = "disliked"


class ChurnReason(StrEnum):
    """Why a customer was lost (流失): kept, so the lost ones can be counted by reason."""

    PRICE = "price"  # 价格
    SUPPLIER = "supplier"  # 换了供应商
    CLOSED = "closed"  # 倒闭/转行
    UNREACHABLE = "unreachable"  # 联系不上
    OTHER = "other"  # 其他


class Formality(StrEnum):
    FORMAL = "formal"  # 王总
    CLOSE = "close"  # 王哥


COMPLAINT_STEPS = 9
# How far ahead a date may be reminded: two months is enough to prepare any gift.
MAX_LEAD_DAYS = 60
