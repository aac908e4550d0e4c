"""Which column is which field: guessed from the headers, or said by the user."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from kequ.domain.validation import (
    split_list,
)
from kequ.errors import KequError
from kequ.exchange.imports.fields import FIELDS, IGNORE, MULTI

_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "name": (
        "姓名", "名字", "客户姓名", "联系人", "联系人姓名", "全名", "客户", "客户名称", "姓名全称",
        "name", "fullname", "full name", "contact", "contact name", "display name",
    ),
    "honorific": ("称呼", "尊称", "怎么称呼", "昵称", "honorific", "salutation", "address as", "nickname"),
    "company": (
        "公司", "单位", "公司名称", "工作单位", "企业", "企业名称", "客户公司", "所在公司", "单位名称",
        "company", "organization", "organisation", "org", "employer",
    ),
    "title": ("职位", "职务", "头衔", "岗位", "title", "job title", "position", "role"),
    "phones": (
        "手机", "手机号", "手机号码", "电话", "电话号码", "联系电话", "联系方式", "办公电话", "座机",
        "移动电话", "固定电话", "住宅电话", "工作电话",
        "mobile", "phone", "phones", "tel", "telephone", "cell", "mobile phone", "phone number", "work phone",
    ),
    "wechat": ("微信", "微信号", "微信id", "wechat", "weixin", "wechat id", "wx"),
    "email": ("邮箱", "电子邮箱", "电子邮件", "邮件", "邮箱地址", "email", "e-mail", "mail", "email address"),
    "city": ("城市", "地区", "所在城市", "所在地", "所在地区", "城市地区", "city", "region", "location"),
    "district": ("区县", "区", "县区", "district", "county"),
    "address": ("地址", "详细地址", "联系地址", "公司地址", "办公地址", "address", "street"),
    "birthday": (
        "生日", "出生日期", "公历生日", "阳历生日", "新历生日", "出生年月日", "生日公历",
        "birthday", "birth date", "date of birth", "dob", "bday",
    ),
    "lunar_birthday": ("农历生日", "阴历生日", "旧历生日", "生日农历", "lunar birthday", "lunar bday"),
    "tier": ("等级", "级别", "客户等级", "客户级别", "分级", "客户分级", "重要程度", "tier", "level", "grade", "class"),
    "disc": (
        "性格", "性格类型", "类型", "性格分类", "disc", "disc类型", "个性", "personality", "type",
    ),
    "gender": ("性别", "男女", "先生/女士", "gender", "sex"),
    "tags": ("标签", "分组", "客户标签", "tags", "tag", "labels", "group", "groups", "categories"),
    "notes": ("备注", "说明", "备忘", "描述", "其他", "notes", "note", "remark", "remarks", "comment", "comments"),
    "source": ("来源", "客户来源", "渠道", "获客渠道", "source", "channel", "lead source"),
    "interests": ("兴趣", "爱好", "兴趣爱好", "interests", "hobbies", "hobby"),
    # Counters and our own report columns carry nothing to keep.
    IGNORE: ("序号", "编号", "行号", "原行号", "导入错误", "id", "no", "line", "import errors", "#"),
}  # fmt: skip

# Header words that name a person when alone but the company beside a 联系人 column.
_SECOND_CHOICE = {"客户名称": "company", "客户": "company"}

_BRACKETS = re.compile(r"[(（\[【<《].*?[)）\]】>》]")

_HEADER_NOISE = re.compile(r"[\s*:：_\-.·/]+")


def _norm_header(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).strip().lower().lstrip("\ufeff")
    s = _BRACKETS.sub("", s)
    s = _HEADER_NOISE.sub("", s)
    # 手机1, 手机2, 电话 2: numbered copies of one column.
    return s.rstrip("0123456789") or s


_HEADER_LOOKUP = {_norm_header(word): name for name, words in _HEADER_WORDS.items() for word in words}

FIELD_LABELS_ZH = {
    "name": "姓名",
    "honorific": "称呼",
    "company": "公司",
    "title": "职位",
    "phones": "手机",
    "wechat": "微信",
    "email": "邮箱",
    "city": "城市",
    "district": "区县",
    "address": "地址",
    "birthday": "生日",
    "lunar_birthday": "农历生日",
    "tier": "等级",
    "disc": "性格",
    "gender": "性别",
    "tags": "标签",
    "notes": "备注",
    "source": "来源",
    "interests": "兴趣",
}


def guess_field(header: str) -> str | None:
    """The customer field a column header names (Chinese or English), "-" to skip, or None."""
    return _HEADER_LOOKUP.get(_norm_header(header))


def parse_mapping(text: str) -> dict[str, str]:
    """``姓名=name,手机=phones,QQ=-`` as {column: field}; a field may also be named in Chinese."""
    out: dict[str, str] = {}
    for item in split_list(text.replace("，", ",")):
        column, sep, target = item.partition("=")
        column, target = column.strip(), target.strip()
        if not sep or not column or not target:
            raise KequError("io.mapping.bad_item", item=item)
        if target.lower() in {"-", "ignore", "skip", "忽略", "不导入"}:
            out[column] = IGNORE
            continue
        found = target if target in FIELDS else guess_field(target)
        if found is None or found == IGNORE:
            raise KequError("io.mapping.unknown_field", field=target, fields=", ".join(FIELDS))
        out[column] = found
    return out


@dataclass(frozen=True, slots=True)
class Layout:
    """What each column of the file feeds: a field, IGNORE, or None (kept in the notes)."""

    labels: tuple[str, ...]
    targets: tuple[str | None, ...]


def read_layout(headers: list[str], explicit: Mapping[str, str | None] | None) -> Layout:
    labels = tuple(h.strip().lstrip("\ufeff") for h in headers)
    guessed: list[str | None] = []
    given = {k.strip(): v for k, v in (explicit or {}).items()}
    for label in labels:
        if label in given:
            guessed.append(given[label])
        elif not label:
            guessed.append(None)
        else:
            guessed.append(guess_field(label))
    taken: set[str] = set()
    # A 联系人 column claims the name; 客户名称 beside it then means the company.
    for i, label in enumerate(labels):
        second = _SECOND_CHOICE.get(_norm_header(label))
        if second and label not in given and guessed[i] == "name":
            others = [j for j, g in enumerate(guessed) if g == "name" and j != i]
            if others and second not in guessed:
                guessed[i] = second
    targets: list[str | None] = [None] * len(labels)
    # The columns the user named are placed first, so a choice beats a guess: with
    # 称呼=name, the 姓名 column guessed as the name goes to the notes instead.
    order = sorted(range(len(labels)), key=lambda i: labels[i] not in given)
    for i in order:
        target = guessed[i]
        if target in (None, IGNORE) or target in MULTI:
            targets[i] = target
        elif target in taken:
            targets[i] = None  # a second 城市 column: kept in the notes, never dropped
        else:
            taken.add(target)
            targets[i] = target
    return Layout(labels, tuple(targets))


def is_header(cells: list[str], explicit: Mapping[str, str | None] | None) -> bool:
    stripped = [c.strip().lstrip("\ufeff") for c in cells]
    if explicit:
        return all(column in stripped for column in explicit)
    return "name" in read_layout(cells, None).targets
