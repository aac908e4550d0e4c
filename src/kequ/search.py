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
  candidates, and a query that extends the previous one only looks inside the previous
  matches.

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
from operator import contains, not_

# Separators inside a keys string. Control characters never survive ``_clean``, so no
# user text can contain them and a query can never match across two forms.
_VERSION = "\x02k1"  # marks keys made by this module; anything else is read as legacy text
_PART = "\x1e"  # between collation | name part | other fields
_WRITTEN = "\x1d"  # starts a name or 称呼 as written
_SPOKEN = "\x1f"  # starts a pinyin or initials form of a name or 称呼
_END = "\x1c"  # ends a form that may match exactly; also separates other fields
_PARTIAL = "\x1b"  # ends a form that may only match as a prefix (小王 → wang)

# Surname readings that differ from pypinyin's everyday reading of the character (or that
# pypinyin gets right only inside a longer word). Tones dropped, as the index has none.
# The everyday reading is indexed too, because many people say 曾经理 as céng.
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
    """Full pinyin, initials and the two usual mixes (wzong, wangjg) of one reading."""
    if not words:
        return []
    forms = ["".join(words)]
    if len(words) >= 2:
        # One word's initial is just a prefix of it, which prefix matching already covers.
        forms += ["".join(w[0] for w in words), words[0][0] + "".join(words[1:])]
    if len(words) >= 3:
        forms.append(words[0] + "".join(w[0] for w in words[1:]))
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
    named = [
        *(_WRITTEN + _SPOKEN + form + _END for form in written),
        *(_SPOKEN + form + _END for form in spoken),
        *(_SPOKEN + form + _PARTIAL for form in partial),
    ]

    others: list[str] = []
    others.extend(_other_forms(company, _COMPANY_SUFFIXES))
    for text in (city, *tags):
        others.extend(_other_forms(text))
    for phone in phones:
        digits = _NOT_DIGIT.sub("", _clean(phone))
        others.append(digits or _clean(phone))
    others.extend((_clean(wechat), _clean(email)))
    others = [form + _END for form in _unique(others)]

    return _VERSION + _PART.join([collation, *_by_script(named), *_by_script(others)])


def _by_script(forms: list[str]) -> tuple[str, str]:
    """Forms holding any ASCII character, then forms holding any other (mixed ones in both).

    A Latin or digit query is only ever looked for in the first, a Chinese one in the
    second: the scanned strings stay short, and the Latin ones stay one byte a character.
    """
    latin = "".join(form for form in forms if _has_ascii(form))
    wide = "".join(form for form in forms if not form.isascii())
    return latin, wide


def _has_ascii(form: str) -> bool:
    # The separators are ASCII too, but never something a query can hold.
    return any(" " < c <= "~" for c in form)


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
# The key sections a customer is matched on: name forms and other fields, once for
# Latin/digit queries and once for Chinese ones.
_Sections = tuple[str, str, str, str]


def _parse(candidate: Candidate) -> tuple[_SortKey, _Sections]:
    keys = candidate.keys
    parts = keys[len(_VERSION) :].split(_PART) if keys.startswith(_VERSION) else []
    if len(parts) == 5:
        collation, latin_named, wide_named, latin_others, wide_others = parts
    else:
        # Rows saved before keys existed, or by another format: still findable by name and
        # by whatever text the keys hold, just without pinyin until the customer is saved.
        collation = _clean(candidate.name)
        latin_named, wide_named = _by_script([_WRITTEN + _SPOKEN + collation + _END] if collation else [])
        latin_others, wide_others = _by_script([_clean(keys) + _END])
    key = (-candidate.weight, collation, candidate.name, candidate.id)
    return key, (latin_named, latin_others, wide_named, wide_others)


def _texts(sections: _Sections) -> tuple[str, str, str, str]:
    """The four strings scanned per customer: Latin name part, Latin all, Chinese name, Chinese all.

    Every one is a new string; made in display order they sit next to each other in memory,
    which makes a scan over 100,000 of them noticeably faster than when made in load order.
    """
    latin_named, latin_others, wide_named, wide_others = sections
    return (
        latin_named + _PART,
        latin_named + _PART + latin_others,
        wide_named + _PART,
        wide_named + _PART + wide_others,
    )


class SearchIndex:
    """Candidates kept in display order, so every rank's matches come out already sorted."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        latest = {candidate.id: candidate for candidate in candidates}
        rows = sorted(map(_parse, latest.values()))
        self._order: list[_SortKey] = [key for key, _sections in rows]
        # Fresh int objects made in display order (``+ 0`` copies in CPython): turning
        # 100,000 positions into ids then reads memory in sequence, not at random.
        self._ids: list[int] = [key[3] + 0 for key in self._order]
        texts = [_texts(sections) for _key, sections in rows]
        self._latin_named: list[str] = [t[0] for t in texts]
        self._latin_all: list[str] = [t[1] for t in texts]
        self._wide_named: list[str] = [t[2] for t in texts]
        self._wide_all: list[str] = [t[3] for t in texts]
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
        latin = q.isascii()
        named_keys, all_keys = (self._latin_named, self._latin_all) if latin else (self._wide_named, self._wide_all)
        # Bool iterators plus compress keep the per-candidate work in C: a Python loop over
        # 100,000 candidates would cost more than the whole keystroke budget.
        if pool is None:
            matched = list(compress(self._everyone, map(contains, all_keys, repeat(q))))
        else:
            matched = list(compress(pool, map(contains, map(all_keys.__getitem__, pool), repeat(q))))
        in_named = list(map(contains, map(named_keys.__getitem__, matched), repeat(q)))
        named = list(compress(matched, in_named))
        elsewhere = list(compress(matched, map(not_, in_named)))

        texts = list(map(named_keys.__getitem__, named))
        starts = list(map(contains, texts, repeat(_SPOKEN + q)))
        prefixed = list(compress(named, starts))
        texts = list(compress(texts, starts))
        exact = list(map(contains, texts, repeat(_SPOKEN + q + _END)))
        ranked = list(compress(prefixed, exact))
        loose = list(compress(prefixed, map(not_, exact)))
        if latin:
            # Only Latin queries can start a pinyin form; a Chinese prefix is always written.
            texts = compress(texts, map(not_, exact))
            written = list(map(contains, texts, repeat(_WRITTEN + _SPOKEN + q)))
            ranked += compress(loose, written)
            ranked += compress(loose, map(not_, written))
        else:
            ranked += loose
        ranked += compress(named, map(not_, starts))
        ranked += elsewhere
        return matched, ranked

    def _columns(self) -> tuple[list, ...]:
        return (self._order, self._ids, self._latin_named, self._latin_all, self._wide_named, self._wide_all)

    def upsert(self, candidate: Candidate) -> None:
        """Add a customer or replace its entry after an edit, without a rebuild."""
        self.remove(candidate.id)
        key, sections = _parse(candidate)
        at = bisect_left(self._order, key)
        for column, value in zip(self._columns(), (key, candidate.id, *_texts(sections)), strict=True):
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


__all__ = ["Candidate", "SearchIndex", "normalise_query", "search_keys"]
