"""Gift rules of thumb: never the same gift twice, ideas from what the person enjoys.

Pure: plain values in, decisions out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from kequ.domain.records import GiftRecord

_NOISE = re.compile(r"[\s\-_·•,，。.、()（）【】\[\]《》\"'“”]+")
# Quantities and packaging say nothing about what the gift is: 西湖龙井 250g = 西湖龙井.
_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s*(?:g|kg|克|斤|盒|瓶|罐|件|个|套|ml|l|升)?", re.IGNORECASE)


def gift_key(item: str) -> str:
    text = unicodedata.normalize("NFKC", item).lower()
    return _NOISE.sub("", _AMOUNT.sub("", text))


def repeat_of(item: str, given: Iterable[GiftRecord]) -> GiftRecord | None:
    """The earlier gift this one repeats, if any (same item, ignoring amounts and spacing)."""
    key = gift_key(item)
    if len(key) < 2:
        return None
    for gift in given:
        other = gift_key(gift.item)
        if len(other) >= 2 and (key == other or key in other or other in key):
            return gift
    return None


# Interests seen in profiles and gifts that suit them: small, practical, a little personal.
IDEAS: dict[str, tuple[str, ...]] = {
    "茶": ("当季明前龙井", "便携旅行茶具", "紫砂小茶宠"),
    "钓鱼": ("钓鱼折叠凳", "防晒钓鱼帽", "鱼竿收纳包"),
    "高尔夫": ("高尔夫球礼盒", "高尔夫手套", "球场防晒袖套"),
    "书法": ("湖笔一支", "宣纸小册", "镇纸"),
    "跑步": ("跑步腰包", "运动速干毛巾", "马拉松能量胶礼盒"),
    "摄影": ("相机清洁套装", "摄影集", "便携三脚架"),
    "红酒": ("醒酒器", "红酒开瓶器套装", "产区小瓶装品鉴礼盒"),
    "登山": ("户外保温杯", "登山杖", "速干袜"),
    "围棋": ("围棋名局赏析书", "棋罐", "棋谱笔记本"),
    "养花": ("精品花器", "多肉组合盆栽", "园艺剪"),
    "音乐": ("音乐会门票", "黑胶唱片", "蓝牙小音箱"),
    "孩子": ("儿童绘本套装", "益智拼图", "科普百科"),
    "健身": ("筋膜按摩球", "运动水壶", "弹力带套装"),
    "读书": ("新出的行业好书", "书签套装", "阅读灯"),
}
# What to bring to someone ill or grieving: something plain and useful, nothing festive.
CARE_IDEAS = ("水果篮", "营养品礼盒", "一束素雅的鲜花（不选菊花）")
GENERAL_IDEAS = ("公司定制笔记本", "本地特产小礼盒", "定制保温杯", "行业年度报告精装本")


def suggestions(texts: Sequence[str], given: Iterable[GiftRecord], limit: int = 6, care: bool = False) -> list[str]:
    """Ideas drawn from the profile's interests and FORD notes, minus what was given; for a
    visit of care (an illness, a loss), only the plain things one brings then."""
    given = list(given)
    found: list[str] = []
    if care:
        found.extend(CARE_IDEAS)
    else:
        joined = " ".join(texts)
        for keyword, ideas in IDEAS.items():
            if keyword in joined:
                found.extend(ideas)
        found.extend(GENERAL_IDEAS)
    fresh = [idea for idea in dict.fromkeys(found) if repeat_of(idea, given) is None]
    return fresh[:limit]


@dataclass(frozen=True, slots=True)
class YearSpend:
    year: int
    cost_cents: int
    count: int


def spend_by_year(given: Iterable[GiftRecord]) -> list[YearSpend]:
    totals: dict[int, list[int]] = {}
    for gift in given:
        slot = totals.setdefault(gift.given_on.year, [0, 0])
        slot[0] += gift.cost_cents or 0
        slot[1] += 1
    return [YearSpend(year, cents, n) for year, (cents, n) in sorted(totals.items(), reverse=True)]


def this_year(spend: Iterable[YearSpend], today: date) -> YearSpend:
    return next((s for s in spend if s.year == today.year), YearSpend(today.year, 0, 0))


# What a salesperson writes after giving a gift: 送了一对紫砂杯，300元 / 带了两盒茶叶 ¥280.
_GAVE = re.compile(r"^(?:已经|已)?(?:送了|送|给了|带了|寄了|寄|买了)\s*")
_PRICE = re.compile(
    r"[，,、;；\s]*(?:花了|花费|价值|约|共)?\s*(?:[¥￥]\s*(?P<a>\d+(?:\.\d{1,2})?)|(?P<b>\d+(?:\.\d{1,2})?)\s*(?:元|块钱|块|rmb|RMB))[。.]?"
)


def gift_from_outcome(text: str) -> tuple[str, int | None]:
    """The gift and its cost in cents (None if not written) from a done-touch's outcome line."""
    text = text.strip()
    cost: int | None = None
    match = _PRICE.search(text)
    if match:
        cost = round(float(match.group("a") or match.group("b")) * 100)
        text = (text[: match.start()] + text[match.end() :]).strip()
    item = _GAVE.sub("", text).strip(" ，,。.;；")
    return item or text, cost
