"""The words a salesperson uses for a fixed choice: 关键 for key, 力量型 for D, 电话 for call.

Stored values are short English words (``kequ.domain.vocab``); people type the Chinese
label, the English one, a letter, or a word of the trade (A类, 老虎型). The spreadsheet
import and the command line read them with the same tables, so a word one accepts the
other does too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from kequ.i18n import t

__all__ = ["CHOICE_WORDS", "choice_options", "norm_word", "read_choice"]

TIER_WORDS: Mapping[str, tuple[str, ...]] = {
    "key": ("key", "关键", "关键客户", "重要", "重要客户", "核心", "核心客户", "大客户", "vip", "a", "a类", "a级"),
    "potential": ("potential", "潜力", "潜力客户", "潜在", "潜在客户", "b", "b类", "b级"),
    "regular": ("regular", "常规", "常规客户", "普通", "普通客户", "一般", "一般客户", "c", "c类", "c级"),
    "temporary": ("temporary", "临时", "临时客户", "一次性", "one-off", "oneoff", "d", "d类", "d级"),
}  # fmt: skip

DISC_WORDS: Mapping[str, tuple[str, ...]] = {
    "D": ("d", "d型", "力量型", "力量", "支配型", "掌控型", "老虎", "老虎型", "dominance", "driver"),
    "I": ("i", "i型", "活泼型", "活泼", "影响型", "社交型", "孔雀", "孔雀型", "influence", "influencer"),
    "S": ("s", "s型", "和平型", "和平", "稳健型", "支持型", "考拉", "考拉型", "steadiness", "steady"),
    "C": ("c", "c型", "完美型", "完美", "谨慎型", "分析型", "猫头鹰", "猫头鹰型", "conscientiousness", "careful"),
}  # fmt: skip

# The contacts one logs by hand (a complaint is logged by its wizard).
KIND_WORDS: Mapping[str, tuple[str, ...]] = {
    "call": ("call", "电话", "打电话", "通话", "来电"),
    "visit": ("visit", "拜访", "上门", "见面", "面谈"),
    "gift": ("gift", "礼品", "送礼", "礼物"),
    "message": ("message", "消息", "短信", "微信"),
    "email": ("email", "e-mail", "邮件", "电邮", "电子邮件"),
    "thanks": ("thanks", "致谢", "感谢"),
    "festival": ("festival", "节日", "节日问候"),
}  # fmt: skip

# Why a customer was lost (流失): the label, or a word of the trade for it.
CHURN_REASON_WORDS: Mapping[str, tuple[str, ...]] = {
    "price": ("price", "价格", "嫌贵", "太贵", "价格高"),
    "supplier": ("supplier", "换了供应商", "换供应商", "竞争对手", "competitor"),
    "closed": ("closed", "倒闭/转行", "倒闭", "转行", "关门"),
    "unreachable": ("unreachable", "联系不上", "失联", "找不到"),
    "other": ("other", "其他", "其它"),
}  # fmt: skip

# The vocabulary group of each choice, under ``vocab.<group>.<value>`` in the catalogue.
CHOICE_WORDS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "tier": TIER_WORDS,
    "disc": DISC_WORDS,
    "kind": KIND_WORDS,
    "churn_reason": CHURN_REASON_WORDS,
}


def norm_word(text: str) -> str:
    """关键 / ＫＥＹ / " Key ": full-width folded, lower case, no spaces."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def _lookup(group: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for value, words in CHOICE_WORDS[group].items():
        labels = (t(f"vocab.{group}.{value}", "zh"), t(f"vocab.{group}.{value}", "en"))
        for word in (*words, *labels):
            found.setdefault(norm_word(word), value)
    return found


def read_choice(group: str, text: str) -> str | None:
    """The stored value ``text`` means in ``group`` ("tier", "disc", "kind"), or None."""
    return _lookup(group).get(norm_word(text))


def choice_options(group: str, values: Sequence[str] | None = None) -> str:
    """key（关键）、potential（潜力）…: each value with its Chinese label, for help and refusals."""
    return ", ".join(f"{value}（{t(f'vocab.{group}.{value}', 'zh')}）" for value in values or CHOICE_WORDS[group])
