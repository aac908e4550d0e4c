"""A person's name in its parts, as contact cards keep it: family name and given name.

A vCard's ``N`` is family;given. Chinese names put the surname first with no space
(王建国, 欧阳娜娜), Latin ones put it last (John Smith), and a single Latin word is
nearly always a given name (Tony): a phone shows it as it is only when it sits there.
"""

from __future__ import annotations

import re

__all__ = ["COMPOUND_SURNAMES", "has_cjk", "split_name"]

# Two-character surnames still in use; a name starting with one keeps both characters.
COMPOUND_SURNAMES = frozenset(
    (
        "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯",
        "轩辕", "令狐", "钟离", "澹台", "端木", "申屠", "独孤", "南宫", "百里", "呼延", "万俟", "闻人", "赫连",
        "单于", "太史", "濮阳", "司空", "东郭", "西门", "拓跋", "第五", "公羊", "左丘", "梁丘", "公冶", "谷梁",
        "宰父", "亓官", "仉督", "段干", "漆雕", "壤驷", "乐正", "巫马", "羊舌", "微生", "颛孙", "子车", "公良",
        "鲜于", "司寇", "东门", "西方", "南门", "完颜",
        "歐陽", "司馬", "諸葛", "東方", "尉遲", "長孫", "軒轅", "鍾離", "澹臺", "端木", "獨孤", "南宮", "赫連",
    )
)  # fmt: skip

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# 迪丽热巴·迪力木拉提: a transliterated name, given name first, parts joined by a middle dot.
_MIDDLE_DOTS = re.compile(r"[·•・]")


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def split_name(name: str) -> tuple[str, str]:
    """(family, given): 王建国 -> 王 / 建国, 欧阳娜娜 -> 欧阳 / 娜娜, 张 三 -> 张 / 三,
    John Smith -> Smith / John, Tony -> "" / Tony, 王 -> 王 / "".
    """
    name = " ".join(name.split())
    if not name:
        return "", ""
    if has_cjk(name):
        parts = [p.strip() for p in _MIDDLE_DOTS.split(name) if p.strip()]
        if len(parts) > 1:
            return parts[-1], "·".join(parts[:-1])
        first, _, rest = name.partition(" ")
        if rest and has_cjk(first) and len(first) <= 2:
            return first, rest  # written apart on purpose: 张 三, 欧阳 娜娜
        if rest and not has_cjk(first):
            given, _, family = name.rpartition(" ")  # Tony 王
            return family, given
        compact = name.replace(" ", "")
        if len(compact) >= 2 and compact[:2] in COMPOUND_SURNAMES:
            return compact[:2], compact[2:]
        return name[:1], name[1:].strip()
    if " " not in name:
        return "", name
    given, _, family = name.rpartition(" ")
    return family, given
