"""Search as you type over the whole customer book: Chinese, pinyin, initials, phones.

Two halves with different costs:

* ``search_keys`` runs when a customer is saved. It turns name, 称呼, company, phones,
  WeChat, e-mail, city and tags into one string for ``customer.search_keys``: the texts as
  written (NFKC, lower case, no spaces), full pinyin and initials (王总 → ``wangzong``,
  ``wz``), the surname reading of polyphonic surnames next to pypinyin's everyday reading
  (曾经理 → ``zengjingli`` *and* ``cengjingli``), and for 小王 / 老李 / 阿曾 also the surname
  alone (``wang``). It imports pypinyin, lazily, because that import costs a fifth of a
  second and start-up must not pay it.
* ``SearchIndex`` answers keystrokes from those strings without pypinyin: each keystroke
  is a handful of C-level passes (``map``/``compress`` of ``str.__contains__``) over the
  candidates, and a query that contains the previous one (the next keystroke) only looks
  inside the previous matches.

Every query is normalised the same way (NFKC so full-width ａｂｃ/１２３ work, lower case,
no whitespace or control characters; a query of digits and ``+-().`` keeps only the digits
so ``138-0013`` finds ``13800138000``). A customer matches when the query is a substring of
any of its keys. Ranking, best first:

0. exact: the query is the whole name or 称呼, as written, in full pinyin or in initials
   (``王总``, ``wangzong``, ``wz``);
1. the name or 称呼 as written starts with the query (``王`` for 王总, ``jo`` for John);
2. a pinyin or initials form of the name or 称呼 starts with the query (``wangz``, ``zj``,
   ``wzong``, and ``wang`` for 小王);
3. the query is elsewhere inside the name or 称呼 (``建国`` or ``jianguo`` for 王建国);
4. the query is in the company, city, tags, phones, WeChat or e-mail (Chinese, pinyin or
   initials for company, city and tags: ``恒瑞``, ``hengrui``, ``szhr``).

Within a rank: higher ``weight`` first, then by name in pinyin order (the order of a
Chinese address book; 汪 and 王 both sort as ``wang`` and then by character), then id.
An empty query returns everyone in that same order.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, repeat
from operator import contains, itemgetter, not_

# Separators inside a keys string. Control characters never survive ``_clean``, so no
# user text can contain them and a query can never match across two forms.
_VERSION = "\x02k1"  # marks keys made by this module; anything else is read as legacy text
_PART = "\x1e"  # between the sections: collation, then see _SECTIONS
_WRITTEN = "\x1d"  # starts a name or 称呼 as written
_SPOKEN = "\x1f"  # starts a pinyin or initials form of a name or 称呼
_END = "\x1c"  # ends a form that may match exactly; also separates other fields
_PARTIAL = "\x1b"  # ends a form that may only match as a prefix (小王 → wang)

# How polyphonic characters read as surnames, tones dropped as the index has none. Most
# differ from pypinyin's everyday reading (曾 ceng, 单 dan, 解 jie); a few agree with it
# today (朝, 那, 褚) and stay listed so a change of pypinyin's defaults cannot lose them.
# The everyday reading is indexed too: plenty of people do say 曾经理 as céng, and 黑 as
# a surname is read both hēi and hè.
_COMPOUND_SURNAMES: dict[str, tuple[str, str]] = {
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"),
    "令狐": ("ling", "hu"),
    "单于": ("chan", "yu"),
    "澹台": ("tan", "tai"),
}
_SURNAMES: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "仇": "qiu",
    "解": "xie",
    "区": "ou",
    "查": "zha",
    "乐": "yue",
    "缪": "miao",
    "朴": "piao",
    "盖": "ge",
    "朝": "chao",
    "重": "chong",
    "种": "chong",
    "覃": "qin",
    "秘": "bi",
    "黑": "he",
    "翟": "zhai",
    "员": "yun",
    "阚": "kan",
    "隗": "wei",
    "召": "shao",
    "折": "she",
    "那": "na",
    "晟": "cheng",
    "能": "nai",
    "祭": "zhai",
    "薄": "bo",
    "洗": "xian",
    "贲": "ben",
    "都": "du",
    "褚": "chu",
    "佴": "nai",
    "角": "jue",
    "盛": "sheng",
    "长": "chang",
    "番": "pan",
    "贾": "jia",
    "宓": "fu",
    "句": "gou",
    "繁": "po",
    "粘": "nian",
    "郇": "huan",
    "柏": "bai",
    "尉": "wei",
}
# 小王, 老李, 阿曾: the surname follows one of these, so its reading applies one character on.
_FAMILIAR_PREFIXES = "小老阿"

_WORDS = re.compile(r"[a-z0-9]+")
_PHONE_QUERY = re.compile(r"[0-9+\-().]*[0-9][0-9+\-().]*")
_NOT_DIGIT = re.compile(r"[^0-9]")


def _tidy(text: str) -> str:
    """NFKC, lower case, control and format characters gone; spaces between words kept."""
    text = unicodedata.normalize("NFKC", text).lower()
    if text.isprintable():
        return text
    # Tabs and newlines separate words; other non-printables (controls, zero-width joiners,
    # unpaired surrogates) are dropped so they can neither hide a match nor forge a separator.
    return "".join(c if c.isprintable() or c.isspace() else "" for c in text)


def _clean(text: str) -> str:
    """The form that is matched: ``_tidy`` without any whitespace."""
    return "".join(_tidy(text).split())


def normalise_query(query: str) -> str:
    """What a typed query is matched as; ``""`` means "everyone"."""
    q = _clean(query)
    if _PHONE_QUERY.fullmatch(q):
        return _NOT_DIGIT.sub("", q)
    return q


# --------------------------------------------------------------------------- keys


@lru_cache(maxsize=8192)
def _syllables(text: str) -> tuple[str, ...]:
    """Pinyin syllables (and Latin or digit words) of tidied text, in order.

    Cached because cities, tags and company names repeat across a customer book.
    """
    from pypinyin import Style, lazy_pinyin

    words: list[str] = []
    for token in lazy_pinyin(text, style=Style.NORMAL):
        # Han characters come back one syllable each; any other run comes back as it was
        # written ("john smith", "😀", "a-b"), so keep only its Latin and digit words.
        words.extend(_WORDS.findall(token.lower()))
    return tuple(words)


def pinyin_forms(text: str) -> tuple[str, str]:
    """导入客户 → ("drkh", "daorukehu"): the initials and the whole pinyin, as a pinyin keyboard types them."""
    words = _syllables(_tidy(text))
    return "".join(word[0] for word in words), "".join(words)


def _readings(text: str) -> list[tuple[str, ...]]:
    """Syllables of a name or 称呼: the surname reading first when it differs, then pypinyin's."""
    everyday = _syllables(text)
    at = 1 if len(text) >= 2 and text[0] in _FAMILIAR_PREFIXES else 0
    head = text[at : at + 2]
    if head in _COMPOUND_SURNAMES:
        surname, rest = _COMPOUND_SURNAMES[head], text[at + 2 :]
    elif text[at : at + 1] in _SURNAMES:
        surname, rest = (_SURNAMES[text[at]],), text[at + 1 :]
    else:
        return [everyday]
    before = _syllables(text[:at]) if at else ()
    family = (*before, *surname, *_syllables(rest))
    return [family, everyday] if family != everyday else [everyday]


def _spoken_forms(words: tuple[str, ...]) -> list[str]:
    """Full pinyin, initials, and the initial of the surname with the rest in full (wzong)."""
    if not words:
        return []
    forms = ["".join(words)]
    if len(words) >= 2:
        # One word's initial is just a prefix of it, which prefix matching already covers.
        forms += ["".join(w[0] for w in words), words[0][0] + "".join(words[1:])]
    if "v" in forms[0]:
        # pypinyin writes ü as v (吕 → lv, what a pinyin keyboard types); some people type u.
        forms.append(forms[0].replace("v", "u"))
    return forms


def _other_forms(text: str, suffixes: tuple[str, ...] = ()) -> list[str]:
    """Company, city or tag: as written, full pinyin and initials."""
    tidy = _tidy(text).strip()
    written = "".join(tidy.split())
    if not written:
        return []
    for suffix in suffixes:
        # Nobody types "youxiangongsi", and "yxgs" in every company's initials would make
        # "gs" or "xg" match the whole book.
        if tidy.endswith(suffix) and len(tidy) > len(suffix):
            tidy = tidy[: -len(suffix)]
            break
    words = _syllables(tidy)
    initials = "".join(w[0] for w in words) if len(words) >= 2 else ""
    return [written, "".join(words), initials]


# Longest first: the first one that ends the name is cut from its pinyin.
_COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司")


def _unique(items: Iterable[str]) -> list[str]:
    return [item for item in dict.fromkeys(items) if item]


def search_keys(
    name: str,
    honorific: str = "",
    company: str = "",
    phones: Sequence[str] = (),
    wechat: str = "",
    email: str = "",
    city: str = "",
    tags: Sequence[str] = (),
) -> str:
    """The one string stored in ``customer.search_keys``; see the module docstring.

    Notes, addresses and the like are deliberately not indexed: a stray word in a long
    note would pull a customer into every search.
    """
    written: list[str] = []
    spoken: list[str] = []
    partial: list[str] = []
    collation = ""
    for field in (name, honorific):
        # Spaces stay in the text pypinyin sees, so "John Smith" gives the initials "js".
        tidy = " ".join(_tidy(field).split())
        if not tidy:
            continue
        written.append(tidy.replace(" ", ""))
        readings = _readings(tidy)
        for words in readings:
            spoken.extend(_spoken_forms(words))
        if field is name:
            collation = "".join(readings[0]) or written[0]
        if len(tidy) >= 2 and tidy[0] in _FAMILIAR_PREFIXES:
            for words in _readings(tidy[1:].lstrip()):
                partial.extend(_spoken_forms(words))
    written = _unique(written)
    spoken = [form for form in _unique(spoken) if form not in written]
    partial = [form for form in _unique(partial) if form not in spoken and form not in written]
    latin_named, wide_named, latin_heads, wide_heads = _name_sections(written, spoken, partial)

    others: list[str] = []
    others.extend(_other_forms(company, _COMPANY_SUFFIXES))
    for text in (city, *tags):
        others.extend(_other_forms(text))
    for phone in phones:
        digits = _NOT_DIGIT.sub("", _clean(phone))
        others.append(digits or _clean(phone))
    others.extend((_clean(wechat), _clean(email)))
    # Every other field ranks the same, so a form inside another one (the city inside the
    # company name, a mobile that is also the WeChat id) adds nothing but scanning time.
    others = _unique(others)
    others = [form for form in others if not any(form in other and form != other for other in others)]
    latin_others = "".join(form + _END for form in others if _has_ascii(form))
    wide_others = "".join(form + _END for form in others if not form.isascii())

    sections = (collation, latin_named, wide_named, latin_others, wide_others, latin_heads, wide_heads)
    return _VERSION + _PART.join(sections)


def _name_sections(written: list[str], spoken: list[str], partial: list[str]) -> tuple[str, str, str, str]:
    """Name forms split by script, and the "heads" that answer one-character queries.

    A form goes to the Latin section when it holds any ASCII character and to the Chinese
    one when it holds anything else (a mixed "john王" goes to both): a Latin or digit query
    is only looked for in the first, a Chinese one in the second, so the scanned strings
    stay short and the Latin ones one byte a character.

    Heads hold each form's first character, after ``_WRITTEN`` for a written form and
    followed by ``_END`` for a one-character form, so a one-character query's prefix and
    exact tests read three or four characters instead of the whole name part.
    """
    latin: list[str] = []
    wide: list[str] = []
    latin_heads: list[str] = []
    wide_heads: list[str] = []
    kinds = [(form, True, True) for form in written]
    kinds += [(form, False, True) for form in spoken]
    kinds += [(form, False, False) for form in partial]
    for form, is_written, may_be_exact in kinds:
        text = (_WRITTEN + _SPOKEN if is_written else _SPOKEN) + form + (_END if may_be_exact else _PARTIAL)
        head = (_WRITTEN if is_written else "") + form[0] + (_END if may_be_exact and len(form) == 1 else "")
        if _has_ascii(form):
            latin.append(text)
            latin_heads.append(head)
        if not form.isascii():
            wide.append(text)
            wide_heads.append(head)
    return "".join(latin), "".join(wide), "".join(_unique(latin_heads)), "".join(_unique(wide_heads))


def _has_ascii(form: str) -> bool:
    return any(c.isascii() for c in form)


_EXACT_FORM = re.compile(f"{_SPOKEN}([^{_PARTIAL}-{_SPOKEN}]+){_END}")


def name_forms(keys: str) -> list[str]:
    """The forms a whole name or 称呼 is typed as (王总, wangzong, wz): what rank 0 matches exactly.

    Keys saved before this format hold none; the caller then has the name as written.
    """
    if not keys.startswith(_VERSION):
        return []
    parts = keys[len(_VERSION) :].split(_PART)
    if len(parts) != _SECTIONS:
        return []
    return _EXACT_FORM.findall(parts[1] + parts[2])


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the matcher sees of one customer."""

    id: int
    keys: str  # the output of search_keys()
    name: str  # for tie-breaking
    weight: int = 0  # e.g. tier weight; higher first on ties


@dataclass(frozen=True, slots=True)
class _Recent:
    """The last answer, so the next keystroke can search inside it."""

    query: str
    matched: list[int]  # positions, ascending
    ranked: list[int]  # positions, best first


_SortKey = tuple[int, str, str, int]
# Keys hold 7 sections: collation, Latin name forms, Chinese name forms, Latin other fields,
# Chinese other fields, Latin heads, Chinese heads (see _name_sections).
_SECTIONS = 7
# Per customer the index scans: Latin name forms, Latin name forms + other fields, Latin
# heads, then the same three for Chinese queries.
_Texts = tuple[str, str, str, str, str, str]


def _parse(candidate: Candidate) -> tuple[_SortKey, list[str]]:
    keys = candidate.keys
    parts = keys.split(_PART) if keys.startswith(_VERSION) else []
    if len(parts) == _SECTIONS:
        parts[0] = parts[0][len(_VERSION) :]
    else:
        # Rows saved before keys existed, or by another format: still findable by name and
        # by whatever text the keys hold, just without pinyin until the customer is saved.
        collation = _clean(candidate.name)
        latin_named, wide_named, latin_heads, wide_heads = _name_sections([collation] if collation else [], [], [])
        other = _clean(keys)
        latin_others = other + _END if _has_ascii(other) else ""
        wide_others = other + _END if not other.isascii() else ""
        parts = [collation, latin_named, wide_named, latin_others, wide_others, latin_heads, wide_heads]
    return (-candidate.weight, parts[0], candidate.name, candidate.id), parts


def _texts(parts: list[str], heads: dict[str, str]) -> _Texts:
    """The strings scanned for one customer.

    Every text is a new string; made in display order they sit next to each other in
    memory, which makes a scan over 100,000 of them noticeably faster than in load order.
    Heads repeat a lot (most are a single letter), so equal ones share one object.
    """
    _collation, latin_named, wide_named, latin_others, wide_others, latin_heads, wide_heads = parts
    return (
        latin_named + _PART,
        latin_named + _PART + latin_others,
        heads.setdefault(latin_heads, latin_heads),
        wide_named + _PART,
        wide_named + _PART + wide_others,
        heads.setdefault(wide_heads, wide_heads),
    )


@dataclass(frozen=True, slots=True)
class SearchColumns:
    """What a stored search (kequ.storage.fast_reads.customers) keeps of one customer's keys.

    ``SearchIndex`` scans the same texts in memory: a query matches when it is in the named
    or the other column of its script, and ranks as ``needles`` says.
    """

    collation: str
    latin_named: str
    latin_others: str
    wide_named: str
    wide_others: str


def search_columns(keys: str, name: str) -> SearchColumns:
    """The columns stored for a customer whose ``customer.search_keys`` is ``keys``."""
    (_weight, collation, _name, _id), parts = _parse(Candidate(0, keys, name))
    _collation, latin_named, wide_named, latin_others, wide_others, _latin_heads, _wide_heads = parts
    return SearchColumns(collation, latin_named, latin_others, wide_named, wide_others)


@dataclass(frozen=True, slots=True)
class Needles:
    """A normalised query as substrings of the named column, best rank first.

    Rank 0: ``exact`` is in it; 1: ``written_start``; 2: ``start``; 3: ``query``; 4: the query
    is only in the other fields. Within a rank: weight (higher first), collation, name, id.
    """

    query: str
    latin: bool  # look in the Latin columns, else in the Chinese ones
    exact: str
    written_start: str
    start: str


def needles(query: str) -> Needles:
    """What a stored search looks for; ``query`` is already normalised and not empty."""
    return Needles(query, query.isascii(), _SPOKEN + query + _END, _WRITTEN + _SPOKEN + query, _SPOKEN + query)


class SearchIndex:
    """Candidates kept in display order, so every rank's matches come out already sorted."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        latest = {candidate.id: candidate for candidate in candidates}
        rows = sorted(map(_parse, latest.values()), key=itemgetter(0))
        self._order: list[_SortKey] = [key for key, _sections in rows]
        # Fresh int objects made in display order (``+ 0`` copies in CPython): turning
        # 100,000 positions into ids then reads memory in sequence, not at random.
        self._ids: list[int] = [key[3] + 0 for key in self._order]
        self._heads: dict[str, str] = {}
        texts = [_texts(parts, self._heads) for _key, parts in rows]
        self._latin: tuple[list[str], list[str], list[str]] = (
            [t[0] for t in texts],
            [t[1] for t in texts],
            [t[2] for t in texts],
        )
        self._wide: tuple[list[str], list[str], list[str]] = (
            [t[3] for t in texts],
            [t[4] for t in texts],
            [t[5] for t in texts],
        )
        self._by_id: dict[int, _SortKey] = {key[3]: key for key in self._order}
        self._everyone: list[int] = list(range(len(rows)))
        self._recent: _Recent | None = None

    def __len__(self) -> int:
        return len(self._ids)

    def search(self, query: str, limit: int | None = None) -> list[int]:
        """Customer ids, best match first (see the module docstring for the order)."""
        q = normalise_query(query)
        if not q:
            self._recent = None
            ranked = self._everyone
        else:
            recent = self._recent
            if recent is not None and recent.query == q:
                ranked = recent.ranked
            else:
                # Every key a longer query matches also contains the shorter one, so the
                # last matches are a complete pool whenever the new query contains the old.
                pool = recent.matched if recent is not None and recent.query in q else None
                matched, ranked = self._match(q, pool)
                self._recent = _Recent(q, matched, ranked)
        if limit is not None:
            ranked = ranked[: max(limit, 0)]
        return list(map(self._ids.__getitem__, ranked))

    def _match(self, q: str, pool: list[int] | None) -> tuple[list[int], list[int]]:
        named_keys, all_keys, head_keys = self._latin if q.isascii() else self._wide
        # Bool lists plus compress keep the per-candidate work in C: a Python loop over
        # 100,000 candidates would cost more than the whole keystroke budget.
        if pool is None:
            matched = list(compress(self._everyone, map(contains, all_keys, repeat(q))))
        else:
            matched = list(compress(pool, map(contains, map(all_keys.__getitem__, pool), repeat(q))))
        if len(q) == 1:
            in_named = list(map(contains, map(named_keys.__getitem__, matched), repeat(q)))
            named = list(compress(matched, in_named))
            # The first keystroke matches most of the book; its heads are a few characters.
            texts = list(map(head_keys.__getitem__, named))
            at_start, whole, written_start = q, q + _END, _WRITTEN + q
        else:
            matched_texts = list(map(named_keys.__getitem__, matched))
            in_named = list(map(contains, matched_texts, repeat(q)))
            named = list(compress(matched, in_named))
            texts = list(compress(matched_texts, in_named))
            at_start, whole, written_start = _SPOKEN + q, _SPOKEN + q + _END, _WRITTEN + _SPOKEN + q
        elsewhere = list(compress(matched, map(not_, in_named)))
        starts = list(map(contains, texts, repeat(at_start)))
        prefixed = list(compress(named, starts))
        texts = list(compress(texts, starts))
        exact = list(map(contains, texts, repeat(whole)))
        loose = list(map(not_, exact))
        written = list(map(contains, compress(texts, loose), repeat(written_start)))
        loose_prefixed = list(compress(prefixed, loose))

        ranked = list(compress(prefixed, exact))
        ranked += compress(loose_prefixed, written)
        ranked += compress(loose_prefixed, map(not_, written))
        ranked += compress(named, map(not_, starts))
        ranked += elsewhere
        return matched, ranked

    def _columns(self) -> tuple[list, ...]:
        return (self._order, self._ids, *self._latin, *self._wide)

    def upsert(self, candidate: Candidate) -> None:
        """Add a customer or replace its entry after an edit, without a rebuild."""
        self.remove(candidate.id)
        key, parts = _parse(candidate)
        at = bisect_left(self._order, key)
        for column, value in zip(self._columns(), (key, candidate.id, *_texts(parts, self._heads)), strict=True):
            column.insert(at, value)
        self._by_id[candidate.id] = key
        self._everyone.append(len(self._everyone))
        self._recent = None  # positions moved

    def remove(self, id: int) -> None:
        """Forget a customer; unknown ids are ignored (it may already be gone)."""
        key = self._by_id.pop(id, None)
        if key is None:
            return
        at = bisect_left(self._order, key)
        for column in self._columns():
            del column[at]
        self._everyone.pop()
        self._recent = None


__all__ = [
    "Candidate",
    "Needles",
    "SearchColumns",
    "SearchIndex",
    "name_forms",
    "needles",
    "normalise_query",
    "search_columns",
    "search_keys",
]
