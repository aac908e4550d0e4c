"""A realistic book of customers in a real kequ database, for the benchmarks.

    python bench/dataset.py --size 10000 --out /tmp/book.db [--seed 7] [--today 2026-11-23]

Written with the project's own code wherever the app has some: the schema comes from
``kequ.storage.database.open_database`` (its migrations), every customer passes
``kequ.domain.validation.check_new_customer`` and gets its ``search_keys`` from
``kequ.domain.search``, birthdays are typed as a person types them ("1985年6月12日",
"八月十五") and parsed by ``kequ.domain.calendar.lunar``. Rows then go in with plain
``executemany`` in the column formats the models write (UTC ``YYYY-MM-DD HH:MM:SS.ffffff``
timestamps, ISO days, JSON lists), because 2,000,000 ORM objects would make the fixture,
not the app, the slow part.

What a book of N customers holds:

* Chinese names from common surnames (polyphonic ones too), 称呼 such as 王总 / 小李,
  companies "city + word + trade + 有限公司", mobiles written three ways, WeChat ids,
  cities, tags, DISC for half of them; tiers key 8 %, potential 17 %, regular 55 %,
  temporary 20 %; 3 % churned;
* about 20 interactions a customer (8 to 32), spread from the day they were added to
  a last contact whose recency depends on the tier, with short notes; customer 1 is a
  long-standing key customer with exactly 500 (the profile benchmark opens them);
* birthdays for 60 % (half of them lunar, some with the year), anniversaries for 5 %;
* gifts for a quarter, deals for a third of key and potential customers (some in the
  last month, so the 0-3-10-20 sequence runs), complaints for 3 % (a fifth still open,
  with their steps), handled and snoozed touches, hand-planned touches, a few
  per-customer rhythms, and a trip with visits today (the Today screen shows them).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import asdict, astuple, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from kequ.domain.calendar.lunar import DateInputError, parse_lunar_date, parse_solar_date
from kequ.domain.records import NewCustomer
from kequ.domain.search import search_keys
from kequ.domain.validation import check_new_customer
from kequ.storage.database import open_database
from kequ.storage.fast_reads.customers import refresh as refresh_search

# Bump when the data changes shape, so a cached file from an older generator is not reused.
VERSION = 2
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢汪单解仇区乐"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志海燕俊红梅德辉晓东欣怡子涵浩然振立新永康佳琪雪慧"
TITLES_OF_ADDRESS = ("{s}总", "{s}经理", "小{s}", "{s}姐", "老{s}", "{s}工", "{s}主任", "{s}总监", "{s}哥")
CITIES = ("苏州", "杭州", "无锡", "宁波", "上海", "南京", "常州", "嘉兴", "温州", "合肥", "深圳", "东莞", "佛山")
DISTRICTS = ("工业园区", "高新区", "滨江区", "经开区", "新区", "开发区", "")
WORDS = ("恒瑞", "远航", "海天", "华联", "鼎盛", "金桥", "新锐", "宏达", "永信", "中诚", "博远", "天合", "众成", "瑞丰")
TRADES = ("精密机械", "贸易", "电子科技", "塑业", "五金", "新材料", "包装", "物流", "自动化设备", "化工", "纺织")
JOB_TITLES = ("总经理", "采购经理", "技术主管", "厂长", "副总", "采购", "工程师", "老板", "")
ROLES = ("decision_maker", "buyer", "user", "influencer", "informed", "assistant", None)
TAGS = ("老客户", "VIP", "决策人", "华东", "展会", "转介绍", "价格敏感", "钓鱼", "高尔夫")
INTERESTS = ("喝茶", "钓鱼", "高尔夫", "跑步", "书法", "摄影", "红酒", "")
NOTES = (
    "",
    "",
    "喜欢喝茶，不抽烟",
    "孩子在读高中，明年高考",
    "老乡，江西人",
    "下午三点后方便接电话",
    "对价格敏感，看重交期",
)
LUNAR_MONTHS = "正二三四五六七八九十冬腊"
LUNAR_DAYS = (
    "初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十",
    "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
    "廿一", "廿二", "廿三", "廿四", "廿五", "廿六", "廿七", "廿八", "廿九", "三十",
)  # fmt: skip
KINDS = ("call", "call", "call", "message", "message", "visit", "email", "gift", "thanks", "festival")
CONTACT_NOTES = (
    "",
    "",
    "",
    "聊了新一季报价，下周回复",
    "问了交期，月底前要样品",
    "送了两盒茶叶",
    "约了下月到厂里看看",
    "对上次的售后比较满意",
    "采购换人了，新联系人姓周",
    "微信发了产品手册",
    "说预算要等年后批",
)
OUTCOMES = ("", "", "positive", "neutral", "no_answer")
GIFT_ITEMS = ("龙井茶叶", "月饼礼盒", "白酒两瓶", "水果篮", "购物卡", "书法作品", "钢笔", "红酒")
GIFT_OCCASIONS = ("中秋", "春节", "生日", "端午", "答谢", "")
REACTIONS = ("unknown", "liked", "liked", "neutral", "disliked")
CAUSES = ("product", "service", "delivery", "price", "misunderstanding", "other")
COMPLAINTS = ("到货晚了三天", "包装破损", "发票开错", "售后响应慢", "价格比别家高", "型号发错")
TIER_SHARES = (("key", 8), ("potential", 17), ("regular", 55), ("temporary", 20))
# How long ago the last contact is, at most, by tier: key customers are looked after.
RECENCY = {"key": 60, "potential": 120, "regular": 240, "temporary": 400}
BUSY_CUSTOMER = 1
BUSY_CONTACTS = 500
BATCH = 2000


@dataclass
class BookStats:
    customers: int
    interactions: int
    dates: int
    gifts: int
    deals: int
    complaints: int
    touches: int
    visits_today: int
    seconds: float
    mb: float


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def stamp(moment: datetime) -> str:
    """An aware datetime as the models store it: UTC, naive, with microseconds."""
    return _utc(moment).isoformat(" ", "microseconds")


def _tiers(rng: random.Random, n: int) -> list[str]:
    names = [name for name, _ in TIER_SHARES]
    weights = [share for _, share in TIER_SHARES]
    out = rng.choices(names, weights, k=n)
    out[BUSY_CUSTOMER - 1] = "key"
    return out


def _customer(rng: random.Random, cid: int, tier: str, added: datetime) -> tuple[object, ...]:
    surname = rng.choice(SURNAMES)
    name = surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    city = rng.choice(CITIES)
    mobile = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
    phone = rng.choice((mobile, f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}", f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"))
    data = check_new_customer(
        NewCustomer(
            name=name,
            honorific=rng.choice(TITLES_OF_ADDRESS).format(s=surname) if rng.random() < 0.8 else "",
            company=f"{city}{rng.choice(WORDS)}{rng.choice(TRADES)}有限公司" if rng.random() < 0.9 else "",
            title=rng.choice(JOB_TITLES),
            phones=(phone,) if rng.random() < 0.95 else (),
            wechat=rng.choice(("", f"wx_{rng.randrange(10**6)}", f"{surname}_{rng.randrange(1000)}", mobile)),
            email=f"c{cid}@example.cn" if rng.random() < 0.2 else "",
            city=city,
            tier=tier,
            disc=rng.choice(("D", "I", "S", "C", None, None, None, None)),
            tags=tuple(rng.sample(TAGS, rng.choice((0, 1, 1, 2)))),
            notes=rng.choice(NOTES),
        )
    )
    keys = search_keys(
        data.name, data.honorific, data.company, data.phones, data.wechat, data.email, data.city, data.tags
    )
    churned = rng.random() < 0.03 and cid != BUSY_CUSTOMER
    created = stamp(added)
    return (
        cid, data.name, data.honorific, data.company, data.title, rng.choice(ROLES), json.dumps(list(data.phones)),
        data.wechat, data.email, data.city, rng.choice(DISTRICTS), "", data.tier, "existing", data.disc,
        None, None, "", "", rng.choice(INTERESTS), "", "", json.dumps(list(data.tags)), "", None,
        churned, "price" if churned else "", data.notes, keys, created, created,
    )  # fmt: skip


_CUSTOMER_COLUMNS = (
    "id, name, honorific, company, title, company_role, phones, wechat, email, city, district, address, tier, stage,"
    " disc, relation_type, ladder, ford_family, ford_occupation, ford_recreation, ford_dreams, interests, tags,"
    " source, referrer_id, churned, churn_reason, notes, search_keys, created_at, updated_at"
)
_CUSTOMER_SQL = f"INSERT INTO customer ({_CUSTOMER_COLUMNS}) VALUES ({', '.join('?' * 31)})"


def _annual_date(rng: random.Random) -> tuple[str, object]:
    """A birthday typed as a person would, parsed by kequ.domain.calendar.lunar."""
    year = rng.randint(1955, 2000) if rng.random() < 0.6 else None
    prefix = f"{year}年" if year else ""
    while True:
        try:
            if rng.random() < 0.5:
                text = f"{prefix}{LUNAR_MONTHS[rng.randrange(12)]}月{LUNAR_DAYS[rng.randrange(30)]}"
                return text, parse_lunar_date(text)
            text = f"{prefix}{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
            return text, parse_solar_date(text)
        except DateInputError:  # 三十 in a short lunar month of that year: type again
            continue


def _contacts(rng: random.Random, cid: int, tier: str, added: datetime, now: datetime) -> Iterator[tuple[object, ...]]:
    """The customer's interactions; ``added`` and ``now`` are naive UTC, as stored."""
    count = BUSY_CONTACTS if cid == BUSY_CUSTOMER else rng.randint(8, 32)
    last = max(added, now - timedelta(days=rng.uniform(0, RECENCY[tier])))
    span = (last - added).total_seconds()
    pick = rng.random
    kinds, notes, outcomes = KINDS, CONTACT_NOTES, OUTCOMES
    kind, note = kinds[int(pick() * len(kinds))], notes[int(pick() * len(notes))]
    yield (cid, kind, last.isoformat(" ", "microseconds"), note, "")
    for _ in range(count - 1):
        moment = added + timedelta(seconds=pick() * span)
        yield (
            cid,
            kinds[int(pick() * len(kinds))],
            moment.isoformat(" ", "microseconds"),
            notes[int(pick() * len(notes))],
            outcomes[int(pick() * len(outcomes))],
        )


def write_book(path: Path, n: int, seed: int = 7, today: date | None = None) -> BookStats:
    """A new database file at ``path`` with a book of ``n`` customers."""
    started = time.perf_counter()
    today = today or date.today()
    now = datetime.combine(today, datetime.min.time()).astimezone() + timedelta(hours=9)
    now_utc = _utc(now)
    path.unlink(missing_ok=True)
    open_database(str(path), daily_backup=False)
    rng = random.Random(seed)
    tiers = _tiers(rng, n)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    counts = dict.fromkeys(("interactions", "dates", "gifts", "deals", "complaints", "touches", "visits_today"), 0)
    added_at: list[datetime] = []
    for first in range(1, n + 1, BATCH):
        ids = range(first, min(n, first + BATCH - 1) + 1)
        rows, contacts, dates, gifts, deals = [], [], [], [], []
        for cid in ids:
            tier = tiers[cid - 1]
            years = 6 if cid == BUSY_CUSTOMER else rng.uniform(0.1, 6)
            added = now - timedelta(days=365 * years, seconds=rng.randrange(86400))
            added_at.append(added)
            rows.append(_customer(rng, cid, tier, added))
            contacts.extend(_contacts(rng, cid, tier, _utc(added), now_utc))
            if rng.random() < 0.6:
                _text, annual = _annual_date(rng)
                lead = 3 if tier == "key" and rng.random() < 0.5 else 0
                dates.append((cid, "birthday", "", *astuple(annual)[:4], annual.year, lead))  # type: ignore[call-overload]
            if rng.random() < 0.05:
                day = min(added.day, 28)
                dates.append((cid, "anniversary", "合作周年", added.month, day, False, False, added.year, 0))
            for _ in range(rng.choice((1, 1, 2, 4)) if rng.random() < 0.25 else 0):
                given = today - timedelta(days=rng.randint(1, 1000))
                cost = rng.choice((20000, 38800, 50000, 88800, None))
                item, occasion = rng.choice(GIFT_ITEMS), rng.choice(GIFT_OCCASIONS)
                gifts.append((cid, given.isoformat(), item, cost, occasion, rng.choice(REACTIONS), ""))
            if tier in ("key", "potential") and rng.random() < 0.33:
                for _ in range(rng.randint(1, 3)):
                    back = rng.randint(0, 30) if rng.random() < 0.15 else rng.randint(31, 700)
                    closed = today - timedelta(days=back)
                    deals.append((cid, closed.isoformat(), rng.choice((None, 1200000, 5600000)), "", stamp(now)))
        conn.executemany(_CUSTOMER_SQL, rows)
        conn.executemany(
            "INSERT INTO interaction (customer_id, kind, happened_at, notes, outcome) VALUES (?, ?, ?, ?, ?)", contacts
        )
        conn.executemany(
            "INSERT INTO important_date (customer_id, kind, label, month, day, lunar, leap, year, lead_days)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            dates,
        )
        conn.executemany(
            "INSERT INTO gift (customer_id, given_on, item, cost_cents, occasion, reaction, note)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            gifts,
        )
        conn.executemany(
            "INSERT INTO deal (customer_id, closed_on, amount_cents, note, created_at) VALUES (?, ?, ?, ?, ?)", deals
        )
        counts["interactions"] += len(contacts)
        counts["dates"] += len(dates)
        counts["gifts"] += len(gifts)
        counts["deals"] += len(deals)
    counts["complaints"] = _complaints(conn, rng, n, now)
    counts["touches"] = _touches(conn, rng, n, today, now)
    counts["visits_today"] = _trips(conn, rng, n, today, now)
    # The search rows, as the app's first search fills them (the insert triggers leave them stale).
    refresh_search(conn)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return BookStats(
        customers=n,
        seconds=round(time.perf_counter() - started, 1),
        mb=round(path.stat().st_size / 1e6, 1),
        **counts,
    )


def _complaints(conn: sqlite3.Connection, rng: random.Random, n: int, now: datetime) -> int:
    count = 0
    for cid in rng.sample(range(1, n + 1), max(1, n * 3 // 100)):
        opened = now - timedelta(days=rng.randint(0, 500), hours=rng.randint(0, 8))
        still_open = rng.random() < 0.2
        step = rng.randint(1, 6) if still_open else 9
        closed = None if still_open else stamp(opened + timedelta(days=rng.randint(1, 20)))
        cursor = conn.execute(
            "INSERT INTO complaint (customer_id, opened_at, status, step, summary, cause, resolution, satisfaction,"
            " closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                cid,
                stamp(opened),
                "open" if still_open else "closed",
                step,
                rng.choice(COMPLAINTS),
                None if still_open else rng.choice(CAUSES),
                "" if still_open else "补发并致歉",
                None if still_open else rng.randint(2, 5),
                closed,
            ),
        )
        conn.executemany(
            "INSERT INTO complaint_step (complaint_id, step, notes, data, updated_at) VALUES (?, ?, ?, '{}', ?)",
            [(cursor.lastrowid, s, "已记录", stamp(opened)) for s in range(1, step + 1)],
        )
        count += 1
    return count


def _touches(conn: sqlite3.Connection, rng: random.Random, n: int, today: date, now: datetime) -> int:
    """What the user already did with the agenda: done, skipped, snoozed; and plans by hand."""
    rows = []
    for cid in rng.sample(range(1, n + 1), max(1, n // 20)):
        occurrence = today - timedelta(days=rng.randint(0, 60))
        status = rng.choice(("done", "done", "skipped", "snoozed"))
        due_on = occurrence + timedelta(days=rng.randint(1, 14)) if status == "snoozed" else occurrence
        rows.append((cid, "call", "cadence:call", occurrence.isoformat(), due_on.isoformat(), status, "", stamp(now)))
    for cid in rng.sample(range(1, n + 1), max(1, n // 50)):
        due_on = today + timedelta(days=rng.randint(-3, 14))
        rows.append((cid, "visit", "manual", due_on.isoformat(), due_on.isoformat(), "planned", "送样品", stamp(now)))
    conn.executemany(
        "INSERT OR IGNORE INTO touchpoint (customer_id, kind, source_key, occurrence, due_date, status, reason, note,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?)",
        rows,
    )
    for cid in rng.sample(range(1, n + 1), max(1, n // 100)):
        conn.execute(
            "INSERT INTO cadence (customer_id, kind, interval_days) VALUES (?, 'call', ?)", (cid, rng.choice((14, 60)))
        )
    return len(rows)


def _trips(conn: sqlite3.Connection, rng: random.Random, n: int, today: date, now: datetime) -> int:
    """A trip under way (visits today, one cancelled) and two earlier ones."""
    visits = 0
    for back, days in ((1, 3), (40, 2), (90, 4)):
        start = today - timedelta(days=back)
        city = rng.choice(CITIES)
        trip_id = conn.execute(
            "INSERT INTO trip (name, cities, start_on, end_on, notes, created_at) VALUES (?, ?, ?, ?, '', ?)",
            (f"{city}出差", json.dumps([city]), start.isoformat(), str(start + timedelta(days=days - 1)), stamp(now)),
        ).lastrowid
        for slot, cid in enumerate(rng.sample(range(1, n + 1), min(n, 3 * days))):
            day = start + timedelta(days=slot % days)
            status = "cancelled" if slot == 4 else ("done" if day < today else "planned")
            conn.execute(
                "INSERT INTO trip_visit (trip_id, customer_id, day, time, place, purpose, bring, status,"
                " learned, needs, competitors, next_step)"
                " VALUES (?, ?, ?, ?, ?, '看新产线', '样品', ?, '', '', '', '')",
                (trip_id, cid, day.isoformat(), f"{9 + slot % 8:02d}:30", f"{city}工业园区", status),
            )
            visits += day == today and status != "cancelled"
    return visits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--today", type=date.fromisoformat, default=None)
    args = parser.parse_args()
    print(json.dumps(asdict(write_book(args.out, args.size, args.seed, args.today)), ensure_ascii=False))


if __name__ == "__main__":
    main()
