"""When two customers are the same person: the same phone, WeChat or e-mail, or the same
name at the same company. The import and ``kequ add`` both ask this, with these keys; the
list of likely duplicates (``kequ duplicates``, the app's Duplicates screen) pairs the
customers of a book by them, and by the same name at another company."""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

__all__ = ["MAX_GROUP", "REASONS", "LikelyPair", "duplicate_keys", "likely_pairs", "phone_key"]


_NOT_DIGITS = re.compile(r"[^0-9]+")


def _norm_phone(phone: str) -> str:
    # ASCII, the common case, in C; else every kind of digit, as before.
    digits = _NOT_DIGITS.sub("", phone) if phone.isascii() else "".join(ch for ch in phone if ch.isdigit())
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11 and digits[len(prefix)] == "1":
            return digits[len(prefix) :]
    return digits


def phone_key(phone: str) -> str:
    """A phone as the duplicate keys compare it: digits only, without +86."""
    return _norm_phone(phone)


def _norm_key_text(text: str) -> str:
    if text.isascii():  # NFKC leaves ASCII as it is
        return "".join(text.lower().split())
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


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


# From the surest sign to the weakest: a pair is listed under the surest it has.
REASONS = ("phone", "wechat", "email", "name_company", "name_other_company")
# A key more customers share than this is a shared thing, not one person: a company's
# switchboard, a common name such as 王伟. Its customers are not paired with each other.
MAX_GROUP = 10
# A name of one character is a surname alone ("王"): no sign of anything.
MIN_NAME = 2

# (id, name, company, phones, wechat, email): what the keys are made from.
KeyedRow = tuple[int, str, str, Sequence[str], str, str]


@dataclass(frozen=True, slots=True)
class LikelyPair:
    """Two customers who look like one person, and why (surest reason first)."""

    first: int  # the lower id
    second: int
    by: tuple[str, ...]


def likely_pairs(rows: Iterable[KeyedRow]) -> list[LikelyPair]:
    """Every pair of customers who share a key of ``duplicate_keys``, or a name at another
    company (one of them may have none; two without a company are two people).

    One pass over the rows into dictionaries, then pairs within each small group: never a
    comparison of every customer with every other. Surest pairs first, then by id.
    """
    # Hundreds of thousands of small lists and tuples, none in a cycle, would set off full
    # collections that walk every live object: the cycle collector waits meanwhile.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _likely_pairs(rows)
    finally:
        if paused:
            gc.enable()


def _likely_pairs(rows: Iterable[KeyedRow]) -> list[LikelyPair]:
    groups: dict[tuple[str, str], list[int]] = {}
    # name -> [(id, company)]: the same name with another company is a weaker sign.
    names: dict[str, list[tuple[int, str]]] = {}
    for cid, name, company, phones, wechat, email in rows:
        folded, at = _norm_key_text(name), _norm_key_text(company)
        for key in _keys(folded, at, phones, wechat, email):
            members = groups.get(key)
            if members is None:
                groups[key] = [cid]
            elif cid not in members:  # two spellings of one phone of one customer
                members.append(cid)
        if len(folded) >= MIN_NAME:
            names.setdefault(folded, []).append((cid, at))
    found: dict[tuple[int, int], set[str]] = {}
    for (by, _key), members in groups.items():
        if 1 < len(members) <= MAX_GROUP:
            for pair in _pairs(members):
                found.setdefault(pair, set()).add(by)
    for people in names.values():
        if 1 < len(people) <= MAX_GROUP:
            company_of = dict(people)
            for pair in _pairs([cid for cid, _ in people]):
                first, second = company_of[pair[0]], company_of[pair[1]]
                if first != second and (first or second):
                    found.setdefault(pair, set()).add("name_other_company")
    rank = {reason: i for i, reason in enumerate(REASONS)}
    pairs = [LikelyPair(a, b, tuple(sorted(by, key=rank.__getitem__))) for (a, b), by in found.items()]
    pairs.sort(key=lambda p: (rank[p.by[0]], p.first, p.second))
    return pairs


def _pairs(members: list[int]) -> Iterator[tuple[int, int]]:
    ordered = sorted(members)
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            yield first, second
