"""Which column is which field: guessed from the headers, or said by the user."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kequ.domain.validation import (
    split_list,
)
from kequ.errors import KequError
from kequ.exchange.imports.fields import FIELDS, IGNORE, KIND, MULTI

_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "name": (
        "姓名", "名字", "客户姓名", "联系人", "联系人姓名", "全名", "客户", "客户名称", "姓名全称",
        "显示名称", "备注名",
        "name", "fullname", "full name", "contact", "contact name", "display name",
    ),
    "family_name": ("姓", "姓氏", "last name", "family name", "surname", "lastname"),
    "given_name": ("名", "first name", "given name", "firstname"),
    "middle_name": ("中间名", "middle name", "additional name"),
    "honorific": ("称呼", "尊称", "怎么称呼", "昵称", "honorific", "salutation", "address as", "nickname"),
    "company": (
        "公司", "单位", "公司名称", "工作单位", "企业", "企业名称", "客户公司", "所在公司", "单位名称",
        "company", "organization", "organisation", "org", "employer", "organization name",
    ),
    "title": ("职位", "职务", "头衔", "岗位", "title", "job title", "position", "role", "organization title"),
    "phones": (
        "手机", "手机号", "手机号码", "电话", "电话号码", "联系电话", "联系方式", "办公电话", "座机",
        "移动电话", "固定电话", "住宅电话", "工作电话", "商务电话", "主要电话", "单位主要电话", "其他电话",
        "mobile", "phone", "phones", "tel", "telephone", "cell", "mobile phone", "phone number", "work phone",
        "phone value", "business phone", "home phone", "primary phone", "other phone",
    ),
    "wechat": ("微信", "微信号", "微信id", "wechat", "weixin", "wechat id", "wx"),
    "email": (
        "邮箱", "电子邮箱", "电子邮件", "邮件", "邮箱地址", "电子邮件地址",
        "email", "e-mail", "mail", "email address", "e-mail address", "e-mail value",
    ),
    "city": (
        "城市", "地区", "所在城市", "所在地", "所在地区", "城市地区", "商务地址 市/县", "住宅地址 市/县",
        "city", "region", "location", "address city",
    ),
    "district": ("区县", "区", "县区", "district", "county"),
    "address": (
        "地址", "详细地址", "联系地址", "公司地址", "办公地址", "商务地址 街道", "住宅地址 街道",
        "address", "street", "address formatted",
    ),
    "birthday": (
        "生日", "出生日期", "公历生日", "阳历生日", "新历生日", "出生年月日", "生日公历",
        "birthday", "birth date", "date of birth", "dob", "bday",
    ),
    "anniversary": ("纪念日", "结婚纪念日", "anniversary", "wedding anniversary"),
    "lunar_birthday": ("农历生日", "阴历生日", "旧历生日", "生日农历", "lunar birthday", "lunar bday"),
    "tier": ("等级", "级别", "客户等级", "客户级别", "分级", "客户分级", "重要程度", "tier", "level", "grade", "class"),
    "disc": (
        "性格", "性格类型", "类型", "性格分类", "disc", "disc类型", "个性", "personality", "type",
    ),
    "gender": ("性别", "男女", "先生/女士", "gender", "sex"),
    "tags": (
        "标签", "分组", "客户标签", "类别",
        "tags", "tag", "labels", "group", "groups", "categories", "group membership",
    ),
    "notes": (
        "备注", "说明", "备忘", "描述", "其他", "附注", "notes", "note", "remark", "remarks", "comment", "comments",
    ),
    "source": ("来源", "客户来源", "渠道", "获客渠道", "source", "channel", "lead source"),
    "interests": ("兴趣", "爱好", "兴趣爱好", "业余爱好", "interests", "hobbies", "hobby"),
    # Counters and our own report columns carry nothing to keep; nor do the labels and
    # settings Google and Outlook write beside every value ("Mobile", "SMTP", 普通).
    IGNORE: (
        "序号", "编号", "行号", "原行号", "导入错误", "导入提示", "id", "no", "line", "import errors",
        "import warnings", "#",
        "phone label", "phone type", "e-mail label", "e-mail type", "address label", "website label", "file as",
        "address street",  # Google writes the street again inside "Address 1 - Formatted"
        "photo", "电子邮件类型", "电子邮件显示名称", "电子邮件显示名", "敏感度", "私有", "优先级",
    ),
}  # fmt: skip

# Header words that name a person when alone but the company beside a 联系人 column.
_SECOND_CHOICE = {"客户名称": "company", "客户": "company"}

_BRACKETS = re.compile(r"[(（\[【<《].*?[)）\]】>》]")

_HEADER_NOISE = re.compile(r"[\s*:：_\-.·/]+")

# Google Contacts numbers its repeated columns: "Phone 2 - Value", "E-mail 1 - Label".
_NUMBERED = re.compile(r"^(.+?)\s+\d+\s+-\s+(.+)$")


def _norm_header(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).strip().lower().lstrip("\ufeff")
    numbered = _NUMBERED.match(s)
    if numbered:
        s = f"{numbered.group(1)} {numbered.group(2)}"
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
    _wechat_names(labels, guessed, given)
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


def _wechat_names(labels: tuple[str, ...], guessed: list[str | None], given: Mapping[str, object]) -> None:
    """In a WeChat contacts export the 显示名称 is the name: the 备注名 where one was set,
    else the friend's own nickname. The 备注 beside it repeats it, so it is not a note.
    The 昵称 is what the friend calls themself on WeChat, not how to address them: it goes
    to the notes, not to 称呼."""
    norms = [_norm_header(label) for label in labels]
    if "微信号" not in norms or "显示名称" not in norms:
        return
    for i, norm in enumerate(norms):
        if labels[i] in given:
            continue
        if norm == "显示名称":
            guessed[i] = "name"
        elif norm in ("备注", "备注名"):
            guessed[i] = IGNORE
        elif guessed[i] == "honorific" and norm in ("昵称", "微信昵称", "nickname"):
            guessed[i] = None


# A row of the sheet is its header when it names who the people are: their name (whole
# or in parts), or two of the other ways to tell them apart.
_WHO = frozenset({"company", "honorific", "phones", "email", "wechat"})


def has_who(targets: tuple[str | None, ...]) -> bool:
    return "name" in targets or "given_name" in targets or "family_name" in targets or len(_WHO & set(targets)) >= 2


def is_header(cells: list[str], explicit: Mapping[str, str | None] | None) -> bool:
    stripped = [c.strip().lstrip("\ufeff") for c in cells]
    if explicit:
        return all(column in stripped for column in explicit)
    return has_who(read_layout(cells, None).targets)


# A WeChat export's 类型: which rows are people, not a personality.
WECHAT_KINDS = frozenset(
    {"好友", "群聊", "公众号", "服务号", "企业号", "企业客户", "企业微信", "黑名单", "其他", "陌生人"}
)
GROUP_KINDS = frozenset({"群聊", "群", "群组", "chatroom", "group", "group chat"})
# Official accounts (公众号) are no people either; their WeChat ids start with gh_.
ACCOUNT_KINDS = frozenset({"公众号", "服务号", "订阅号", "official account"})


def settle_layout(
    layout: Layout,
    rows: list[list[str]],
    explicit: Mapping[str, str | None] | None,
    lookups: Mapping[str, Callable[[str], bool]],
) -> Layout:
    """The layout once the first rows are seen: a 类型 or Level column guessed from its header
    stays a personality or tier only when its values read as one (``lookups``); a WeChat
    export's 类型 (好友, 群聊) says which rows are people; anything else is kept in the notes."""
    given = set((explicit or {}).keys())
    targets = list(layout.targets)
    for i, target in enumerate(targets):
        if target not in lookups or layout.labels[i] in given:
            continue
        values = [row[i].strip() for row in rows if i < len(row) and row[i].strip()]
        if not values:
            continue
        readable = sum(1 for value in values if lookups[target](value))
        if readable * 2 >= len(values):
            continue
        kinds = sum(1 for value in values if value in WECHAT_KINDS or value.lower() in GROUP_KINDS)
        targets[i] = KIND if kinds * 2 >= len(values) and KIND not in targets else None
    return Layout(layout.labels, tuple(targets))
