"""When two customers are the same person: the same phone, WeChat or e-mail, or the same
name at the same company. The import and ``kequ add`` both ask this, with these keys; the
list of likely duplicates (``kequ duplicates``, the app's Duplicates screen) pairs the
customers of a book by them, and by the same name at another company."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import compress
from typing import Any, NamedTuple

from kequ.domain.collector import collector_paused

__all__ = ["MAX_GROUP", "REASONS", "LikelyPair", "duplicate_keys", "key_index", "likely_pairs", "phone_key"]


_NOT_DIGITS = re.compile(r"[^0-9]+")


def _norm_phone(phone: str) -> str:
    # ASCII, the common case, in C; else every kind of digit, as before.
    digits = _NOT_DIGITS.sub("", phone) if phone.isascii() else "".join(ch for ch in phone if ch.isdigit())
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11 and digits[len(prefix)] == "1":
            return digits[len(prefix) :]
    return digits


# One number in the joined phones: +86 or 0086 before a mobile, where it ends.
_CHINA_PREFIX = re.compile(r"(?<![^\x00])(?:0086|86)(?=1[0-9]{10}(?![^\x00]))")


def _norm_phones(phones: list[str]) -> list[str]:
    """``_norm_phone`` of each, in passes in C over all of them joined by NUL."""
    joined = "\x00".join(phones)
    if not joined.isascii():
        return [_norm_phone(phone) for phone in phones]
    digits = _CHINA_PREFIX.sub("", re.sub(r"[^0-9\x00]+", "", joined)).split("\x00")
    if len(digits) != len(phones):  # a NUL inside a phone: one at a time
        return [_norm_phone(phone) for phone in phones]
    return digits


def phone_key(phone: str) -> str:
    """A phone as the duplicate keys compare it: digits only, without +86."""
    return _norm_phone(phone)


def _norm_key_text(text: str) -> str:
    if text.isascii():  # NFKC leaves ASCII as it is
        return "".join(text.lower().split())
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


_SPACES = re.compile(r"\s+")


def _norm_key_texts(texts: list[str]) -> list[str]:
    """``_norm_key_text`` of each text, joined into one string for a few passes in C. NUL,
    the separator, is a starter that nothing composes with, so NFKC of the whole is the
    whole of the NFKCs; a text holding a NUL itself is folded one at a time."""
    joined = "\x00".join(texts)
    if not joined.isascii():
        joined = unicodedata.normalize("NFKC", joined)
    folded = _SPACES.sub("", joined.lower()).split("\x00")
    if len(folded) != len(texts):
        return [_norm_key_text(text) for text in texts]
    return folded


def duplicate_keys(name: str, company: str, phones: Sequence[str], wechat: str, email: str) -> list[tuple[str, str]]:
    """(by, key) pairs: two customers sharing one are the same person. ``by`` is phone,
    wechat, email or name_company."""
    return _keys(_norm_key_text(name), _norm_key_text(company), phones, wechat, email)


def _keys(name: str, company: str, phones: Sequence[str], wechat: str, email: str) -> list[tuple[str, str]]:
    """``duplicate_keys`` with the name and company already folded."""
    keys = [("phone", p) for p in map(_norm_phone, phones) if len(p) >= 5]
    if wechat.strip():
        keys.append(("wechat", _norm_key_text(wechat)))
    if email.strip():
        keys.append(("email", email.strip().lower()))
    # A name alone is no proof: two 王总 without a company are two people.
    if name and company:
        keys.append(("name_company", f"{name}|{company}"))
    return keys


def key_index(
    customers: Sequence[tuple[int, str, str, str, str]], phones: Iterable[tuple[int, str]]
) -> tuple[dict[tuple[str, str], list[int]], list[int]]:
    """Every key of ``duplicate_keys`` the customers hold, with the ids holding it, and the
    ids of those who hold none; column by column, in a few passes in C, as ``likely_pairs``.

    ``customers`` are (id, name, company, wechat, email), ``phones`` (customer id, phone),
    one a number. An id may be listed twice under a key (one number written twice).
    """
    index: dict[tuple[str, str], list[int]] = {}
    ids = [row[0] for row in customers]
    numbers = list(phones)
    with collector_paused():
        for number, cid in zip(_norm_phones([p for _, p in numbers]), [cid for cid, _ in numbers], strict=True):
            if len(number) >= 5:
                index.setdefault(("phone", number), []).append(cid)
        wechats = [row[3] for row in customers]
        for cid, raw, folded in zip(ids, wechats, _norm_key_texts(wechats), strict=True):
            if raw.strip():
                index.setdefault(("wechat", folded), []).append(cid)
        for cid, *_, email in customers:
            if email.strip():
                index.setdefault(("email", email.strip().lower()), []).append(cid)
        names = _norm_key_texts([row[1] for row in customers])
        companies = _norm_key_texts([row[2] for row in customers])
        for cid, name, company in zip(ids, names, companies, strict=True):
            # A name alone is no proof: two 王总 without a company are two people.
            if name and company:
                index.setdefault(("name_company", f"{name}|{company}"), []).append(cid)
        keyed = {cid for held in index.values() for cid in held}
    return index, [cid for cid in ids if cid not in keyed]


# From the surest sign to the weakest: a pair is listed under the surest it has.
REASONS = ("phone", "wechat", "email", "name_company", "name_other_company")
# A key more customers share than this is a shared thing, not one person: a company's
# switchboard, a common name such as 王伟. Its customers are not paired with each other.
MAX_GROUP = 10
# A name of one character is a surname alone ("王"): no sign of anything.
MIN_NAME = 2


class LikelyPair(NamedTuple):
    """Two customers who look like one person, and why (surest reason first). A named
    tuple: a large book has tens of thousands of these."""

    first: int  # the lower id
    second: int
    by: tuple[str, ...]


def likely_pairs(
    customers: Iterable[tuple[int, str, str, str, str]], phones: Iterable[tuple[int, str]]
) -> list[LikelyPair]:
    """Every pair of customers who share a key of ``duplicate_keys``, or a name at another
    company (one of them may have none; two without a company are two people).

    ``customers`` start with (id, name, company, wechat, email), ``phones`` (customer id, phone),
    one a number. One pass over them into dictionaries, then pairs within each small
    group: never a comparison of every customer with every other. Surest pairs first,
    then by id.
    """
    with collector_paused():
        return _likely_pairs(list(customers), list(phones))


def _likely_pairs(table: list[Sequence[Any]], numbers: list[tuple[int, str]]) -> list[LikelyPair]:
    # Column by column rather than row by row: the texts are folded in a few passes in C
    # over all of them at once, the keys are counted in C, and only the keys more than one
    # customer holds are looked at in Python. An empty key ("") is no key. The keys are
    # those of ``duplicate_keys`` (a test holds the two to each other).
    ids = [row[0] for row in table]
    names = _norm_key_texts([row[1] for row in table])
    companies = _norm_key_texts([row[2] for row in table])
    # One number written twice on one customer is one key of theirs.
    held = dict.fromkeys(zip(_norm_phones([p for _, p in numbers]), [cid for cid, _ in numbers], strict=True))
    columns = (
        ("phone", [p if len(p) >= 5 else "" for p, _ in held], [cid for _, cid in held]),
        ("wechat", _norm_key_texts([row[3] for row in table]), ids),
        ("email", [row[4].strip().lower() for row in table], ids),
        # A name alone is no proof: two 王总 without a company are two people.
        ("name_company", [f"{n}|{c}" if n and c else "" for n, c in zip(names, companies, strict=True)], ids),
    )
    found: dict[tuple[int, int], list[str]] = {}
    # Passes from the surest reason on: a pair first met in a pass has that as its surest.
    firsts: list[list[tuple[int, int]]] = []
    for by, keys, owners in columns:
        firsts.append([])
        for members in _shared(keys, owners):
            for pair in _pairs(members):
                _note(found, firsts[-1], pair, by)
    # The same name with another company (or one without): a weaker sign. By position.
    firsts.append([])
    named = [n if len(n) >= MIN_NAME else "" for n in names]
    for places in _shared(named, list(range(len(named)))):
        for i, j in _pairs(places):
            if companies[i] != companies[j]:  # both empty is no proof either
                pair = (ids[i], ids[j]) if ids[i] < ids[j] else (ids[j], ids[i])
                _note(found, firsts[-1], pair, "name_other_company")
    return [LikelyPair(a, b, tuple(found[a, b])) for met in firsts for a, b in sorted(met)]


def _note(
    found: dict[tuple[int, int], list[str]], first_met: list[tuple[int, int]], pair: tuple[int, int], by: str
) -> None:
    reasons = found.get(pair)
    if reasons is None:
        found[pair] = [by]
        first_met.append(pair)
    elif reasons[-1] != by:  # two numbers both share are one reason
        reasons.append(by)


def _shared(keys: list[str], values: list[int]) -> Iterable[list[int]]:
    """The values of each key that 2 to MAX_GROUP of them hold; counted and picked in C."""
    wanted = set()
    for key, n in Counter(keys).most_common():  # most first: stops at the first key held once
        if n < 2:
            break
        if n <= MAX_GROUP and key:
            wanted.add(key)
    groups: dict[str, list[int]] = {}
    for key, value in compress(zip(keys, values, strict=True), map(wanted.__contains__, keys)):
        groups.setdefault(key, []).append(value)
    return groups.values()


def _pairs(members: list[int]) -> Iterator[tuple[int, int]]:
    ordered = sorted(members)
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            yield first, second
