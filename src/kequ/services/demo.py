"""Demo data: a salesperson's year with about sixty customers, relative to today.

Everything is dated from ``today`` so the demo is always alive: someone is overdue for a
call, a lunar birthday is days away, a deal was closed three days ago, a complaint waits
at step five. The random generator is seeded, so two runs on one day are the same.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from lunar_python import Solar
from sqlmodel import Session, delete

from kequ.domain.agenda import sources
from kequ.domain.life_events import default_lead
from kequ.domain.records import NewCustomer
from kequ.domain.vocab import (
    CompanyRole,
    ComplaintCause,
    DateKind,
    Disc,
    GiftReaction,
    Ladder,
    RelationType,
    Tier,
    TouchKind,
    TouchStatus,
)
from kequ.errors import KequError
from kequ.services.customers import new_customer_row
from kequ.storage.backups import make_backup
from kequ.storage.database import Database
from kequ.storage.models import (
    Complaint,
    ComplaintStep,
    Customer,
    Deal,
    Gift,
    ImportantDate,
    Interaction,
    Touchpoint,
)

DEMO_SOURCE = "示例数据 demo"


@dataclass(frozen=True)
class _Company:
    name: str
    city: str
    district: str
    industry: str


COMPANIES = (
    _Company("苏州恒瑞精密机械有限公司", "苏州", "工业园区", "机械"),
    _Company("上海云杉国际贸易有限公司", "上海", "浦东新区", "贸易"),
    _Company("北京中科远望科技有限公司", "北京", "海淀区", "软件"),
    _Company("杭州青禾食品有限公司", "杭州", "余杭区", "食品"),
    _Company("广州南粤建材有限公司", "广州", "番禺区", "建材"),
    _Company("深圳锐芯电子有限公司", "深圳", "南山区", "电子"),
    _Company("成都天府康达医疗器械有限公司", "成都", "高新区", "医疗器械"),
    _Company("南京金陵包装材料有限公司", "南京", "江宁区", "包装"),
    _Company("武汉长江汽配有限公司", "武汉", "经开区", "汽配"),
    _Company("苏州吴越纺织有限公司", "苏州", "吴江区", "纺织"),
    _Company("上海浦江物流有限公司", "上海", "闵行区", "物流"),
    _Company("杭州西溪文化传媒有限公司", "杭州", "西湖区", "传媒"),
    _Company("深圳前海融信供应链有限公司", "深圳", "前海", "供应链"),
    _Company("成都蜀都餐饮管理有限公司", "成都", "锦江区", "餐饮"),
)

# (role, job title, how the title becomes a form of address)
ROLES = (
    (CompanyRole.DECISION_MAKER, "总经理", "{s}总"),
    (CompanyRole.BUYER, "采购经理", "{s}经理"),
    (CompanyRole.USER, "技术主管", "{s}工"),
    (CompanyRole.INFLUENCER, "财务总监", "{s}总监"),
    (CompanyRole.ASSISTANT, "总经理助理", "小{s}"),
    (CompanyRole.INFORMED, "办公室主任", "{s}主任"),
)

# Surnames include the polyphonic ones (曾, 单, 解, 仇) that pinyin search must handle.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢单解仇"
)
GIVEN = (
    "建国", "志强", "海燕", "丽娟", "伟", "静", "晓东", "秀英", "明辉", "欣怡", "俊杰", "雪梅",
    "国栋", "婷", "浩然", "慧敏", "振华", "芳", "子涵", "立新", "红霞", "永康", "佳琪", "德明",
)  # fmt: skip
INTERESTS = ("钓鱼", "高尔夫", "茶道", "书法", "跑步", "摄影", "红酒", "登山", "围棋", "养花", "古典音乐", "带孩子")
CALL_NOTES = (
    "聊了近期订单，对交期满意",
    "问候近况，提到下月要去展会",
    "客户在忙，约好下周再聊",
    "聊到孩子今年中考，压力不小",
    "反馈新批次包装有小问题，已转给售后",
    "询问明年框架协议的进展",
    "说最近工厂扩产，可能追加采购",
)
VISIT_NOTES = (
    "带了行业简报，和技术部一起看了现场",
    "拜访时见到了新来的采购负责人",
    "参观新产线，对方在考虑二期项目",
    "一起吃了午饭，聊到家里老人身体",
)
MESSAGE_NOTES = ("发了新品资料", "转发了行业政策解读", "节前问候", "发了展会邀请函")
CONTACT_KINDS = {TouchKind.CALL: CALL_NOTES, TouchKind.VISIT: VISIT_NOTES, TouchKind.MESSAGE: MESSAGE_NOTES}
GIFTS = (("定制保温杯", 8800), ("西湖龙井 250g", 36000), ("公司台历", 3000), ("精装茶具", 42000), ("行业书籍", 9900))


def fill_demo(db: Database, today: date, *, force: bool = False) -> int:
    """Write the demo; refuses a database holding customers unless ``force``.

    With ``force`` a backup is taken first and only earlier demo customers are replaced:
    the user's own customers are never touched.
    """
    if not db.is_empty():
        if not force:
            raise KequError("storage.not_empty", path=db.path)
        make_backup(db.path, "before-demo")
    rng = random.Random(f"kequ-demo-{today.isoformat()}")
    with db.session() as session:
        session.exec(delete(Customer).where(Customer.source == DEMO_SOURCE))  # type: ignore[call-overload]
        people = _people(rng)
        rows = []
        for person in people:
            row = new_customer_row(person.data, **person.extra)
            row.created_at = _at(today - timedelta(days=rng.randint(200, 900)), 9)
            session.add(row)
            rows.append(row)
        session.flush()
        _history(session, rows, today, rng)
        _dates(session, rows, today, rng)
        _deals_gifts_complaint(session, rows, today, rng)
        return len(rows)


@dataclass
class _Person:
    data: NewCustomer
    extra: dict[str, object]


def _people(rng: random.Random) -> list[_Person]:
    people: list[_Person] = []
    surnames = list(SURNAMES)
    rng.shuffle(surnames)
    tiers = [Tier.KEY] * 10 + [Tier.POTENTIAL] * 16 + [Tier.REGULAR] * 24 + [Tier.TEMPORARY] * 10
    rng.shuffle(tiers)
    discs = list(Disc)
    for index in range(60):
        company = COMPANIES[index % len(COMPANIES)]
        role, title, address_form = ROLES[(index // len(COMPANIES)) % len(ROLES)]
        surname = surnames[index % len(surnames)]
        # Stepping through the given names by 7 keeps every full name unique.
        name = surname + GIVEN[(index * 7) % len(GIVEN)]
        tier = tiers[index]
        # A few customers are known only by surname and title, as in real address books.
        if index % 17 == 5:
            name = surname
        people.append(
            _Person(
                NewCustomer(
                    name=name,
                    honorific=address_form.format(s=surname),
                    company=company.name,
                    title=title,
                    phones=(f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",),
                    wechat=f"wx_{rng.randint(100000, 999999)}",
                    email=f"contact{index}@example.cn" if index % 3 else "",
                    city=company.city,
                    tier=tier.value,
                    disc=discs[index % 4].value if index % 9 != 8 else None,
                    tags=(company.industry,) + (("老客户",) if index % 4 == 0 else ()),
                    notes=f"{company.industry}行业，{title}。",
                ),
                {
                    "source": DEMO_SOURCE,
                    "company_role": role.value,
                    "district": company.district,
                    "relation_type": list(RelationType)[index % 4].value,
                    "ladder": list(Ladder)[min(5, index % 7)].value,
                    "interests": "、".join(rng.sample(INTERESTS, 2)),
                    "ford_family": rng.choice(("孩子在读初中", "刚当上爷爷", "爱人是老师", "父母在老家", "")),
                    "ford_occupation": f"在{company.name[:4]}做了{rng.randint(3, 15)}年",
                    "ford_recreation": rng.choice(INTERESTS),
                    "ford_dreams": rng.choice(("想把工厂做到上市", "退休后去云南养老", "希望孩子出国读书", "")),
                    "stage": "existing" if tier != Tier.TEMPORARY else "new",
                },
            )
        )
    return people


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0)).astimezone()


def _history(session: Session, rows: list[Customer], today: date, rng: random.Random) -> None:
    """A year of contacts; key customers get more, and a few are left to go cold."""
    per_tier = {Tier.KEY: (10, 18), Tier.POTENTIAL: (5, 10), Tier.REGULAR: (2, 6), Tier.TEMPORARY: (0, 2)}
    for index, row in enumerate(rows):
        assert row.id is not None
        low, high = per_tier[Tier(row.tier)]
        # Every fifth customer has gone quiet: the last call is long ago (at risk).
        quiet_for = rng.randint(50, 80) if index % 5 == 0 else rng.randint(1, 40)
        for n in range(rng.randint(low, high)):
            # The latest contact is a call, so the rhythm of every customer is visible.
            kind = TouchKind.CALL if n == 0 else rng.choices(list(CONTACT_KINDS), weights=[6, 2, 3])[0]
            days_ago = quiet_for + n * rng.randint(15, 40)
            if days_ago > 365:
                break
            notes = CONTACT_KINDS[kind]
            session.add(
                Interaction(
                    customer_id=row.id,
                    kind=kind.value,
                    happened_at=_at(today - timedelta(days=days_ago), rng.randint(9, 18)),
                    notes=rng.choice(notes),
                )
            )


def _lunar_of(day: date) -> tuple[int, int, bool]:
    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    month = lunar.getMonth()
    return abs(month), lunar.getDay(), month < 0


def _dates(session: Session, rows: list[Customer], today: date, rng: random.Random) -> None:
    for index, row in enumerate(rows):
        if index % 2:
            continue
        assert row.id is not None
        gift_lead = 3 if row.tier == Tier.KEY else 0
        if index % 4 == 0:
            # Lunar birthdays, one of them only days away so Today has something to show.
            month, day, leap = _lunar_of(today + timedelta(days=2 if index == 0 else rng.randint(10, 300)))
            year = None if leap else rng.randint(1965, 1995)
            session.add(
                ImportantDate(
                    customer_id=row.id,
                    month=month,
                    day=min(day, 29),
                    lunar=True,
                    leap=leap,
                    year=year,
                    lead_days=gift_lead,
                )
            )
        else:
            soon = today + timedelta(days=5 if index == 2 else rng.randint(10, 300))
            session.add(
                ImportantDate(
                    customer_id=row.id,
                    month=soon.month,
                    day=soon.day,
                    year=rng.randint(1965, 1995),
                    lead_days=gift_lead,
                )
            )
    # The edge cases the calendar must get right, on real customers.
    session.add(
        ImportantDate(customer_id=rows[6].id, kind=DateKind.BIRTHDAY.value, month=6, day=12, lunar=True, leap=True)
    )
    session.add(ImportantDate(customer_id=rows[10].id, kind=DateKind.BIRTHDAY.value, month=8, day=30, lunar=True))
    session.add(
        ImportantDate(
            customer_id=rows[3].id,
            kind=DateKind.ANNIVERSARY.value,
            label="公司成立",
            month=today.month,
            day=min(today.day, 28),
            year=2012,
        )
    )
    # Life events: news of a wedding coming up and of a stay in hospital last week.
    for row, kind, day, label in (
        (rows[5], DateKind.WEDDING, today + timedelta(days=4), "已收到喜帖"),
        (rows[9], DateKind.ILLNESS, today - timedelta(days=6), "腰伤住院"),
    ):
        session.add(
            ImportantDate(
                customer_id=row.id,
                kind=kind.value,
                label=label,
                month=day.month,
                day=day.day,
                year=day.year,
                lead_days=default_lead(kind.value),
            )
        )


def _deals_gifts_complaint(session: Session, rows: list[Customer], today: date, rng: random.Random) -> None:
    key_rows = [r for r in rows if r.tier == Tier.KEY]
    buyer = key_rows[0]
    fresh = Deal(
        customer_id=buyer.id, closed_on=today - timedelta(days=3), amount_cents=12_800_000, note="年度框架协议第一批"
    )
    older = Deal(
        customer_id=key_rows[1].id, closed_on=today - timedelta(days=10), amount_cents=4_600_000, note="新产线配套"
    )
    session.add_all([fresh, older])
    session.flush()
    # The follow-ups already made: the thank-you for both deals, the day-3 call for the older one.
    for deal, offsets in ((fresh, (0,)), (older, (0, 3))):
        for offset in offsets:
            day = deal.closed_on + timedelta(days=offset)
            touch = Touchpoint(
                customer_id=deal.customer_id,
                kind=(TouchKind.THANKS if offset == 0 else TouchKind.CALL).value,
                source_key=sources.key(sources.DEAL, deal.id, offset),
                occurrence=day,
                due_date=day,
                status=TouchStatus.DONE.value,
                handled_at=_at(day, 17),
            )
            session.add(touch)
            session.flush()
            note = "发微信感谢合作，附上对接人联系方式" if offset == 0 else "回访两分钟，对方说一切顺利"
            session.add(
                Interaction(
                    customer_id=deal.customer_id,
                    kind=touch.kind,
                    happened_at=_at(day, 17),
                    notes=note,
                    touchpoint_id=touch.id,
                )
            )
    for row in key_rows[:6]:
        item, cost = rng.choice(GIFTS)
        given = today - timedelta(days=rng.randint(30, 300))
        session.add(
            Gift(
                customer_id=row.id,
                given_on=given,
                item=item,
                cost_cents=cost,
                occasion="中秋节",
                reaction=rng.choice(list(GiftReaction)).value,
            )
        )
    unhappy = key_rows[2]
    complaint = Complaint(
        customer_id=unhappy.id,
        opened_at=_at(today - timedelta(days=2), 10),
        step=5,
        summary="第二批货外箱破损，客户要求全部换货并赔偿停工损失",
        cause=ComplaintCause.DELIVERY.value,
    )
    session.add(complaint)
    session.flush()
    steps = (
        "先肯定客户的感受，不争对错。",
        "让客户把情况讲完：共 12 箱，其中 4 箱外箱破损。",
        "当场回应：理解耽误生产的着急。",
        "感谢客户第一时间告诉我们，而不是直接换供应商。",
    )
    for number, note in enumerate(steps, start=1):
        session.add(ComplaintStep(complaint_id=complaint.id, step=number, notes=note))
