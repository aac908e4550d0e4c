"""A customer's gender: optional, typed or guessed from the 称呼, and what it changes.

Pure: text in, values out. Gender is never required. When the salesperson has not said,
it is guessed from how they address the person (李姐, 孙女士, 张阿姨 → 女; 王哥, 陈先生,
刘叔 → 男) and shown as a guess until confirmed; a title says nothing (王总, 李经理,
张老师, 刘医生 stay unknown). What it changes:

* the playbook's advice says 他 or 她 instead of TA (``refer``);
* 妇女节 is greeted only for women;
* romantic festivals (七夕, 情人节) are greeted only where the relationship is family or
  friend; to a client "甜甜蜜蜜" is out of place whatever their gender.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from kequ.domain.vocab import Gender, RelationType
from kequ.errors import KequError

FEMALE, MALE = Gender.FEMALE.value, Gender.MALE.value

# What people type for each: 女/男, f/m, the English words, 女士/男士.
_WORDS = {
    FEMALE: ("女", "女性", "女士", "f", "female", "woman"),
    MALE: ("男", "男性", "男士", "m", "male", "man"),
}
_LOOKUP = {word: gender for gender, words in _WORDS.items() for word in words}

# Endings of a 称呼 that say who it is. Longest first, so 姐夫 is a man and 老弟 a man.
_ENDINGS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        (
            *(
                (end, MALE)
                for end in ("姐夫", "妹夫", "姨夫", "哥", "先生", "叔", "弟", "伯", "大爷", "爷", "兄", "舅")
            ),
            *(
                (end, FEMALE)
                for end in ("姐", "女士", "阿姨", "姨", "妹", "嫂", "太太", "夫人", "婶", "大妈", "奶奶", "姑", "娘")
            ),
        ),
        key=lambda pair: -len(pair[0]),
    )
)
# English forms of address at the start: Mr Wang, Ms Li.
_ENGLISH = re.compile(r"^(mr|mrs|ms|miss|madam|sir)\b\.?", re.I)
_ENGLISH_GENDER = {"mr": MALE, "sir": MALE, "mrs": FEMALE, "ms": FEMALE, "miss": FEMALE, "madam": FEMALE}

ROMANTIC_FESTIVALS = frozenset({"qixi", "valentines"})
"""Festivals of couples: greeted only where the relationship is personal (七夕; 情人节 if added)."""
_PERSONAL = frozenset({RelationType.FAMILY.value, RelationType.FRIEND.value})
WOMENS_DAY = "womens_day"


class Known(NamedTuple):
    """A customer's gender as kequ knows it: ``guessed`` until the salesperson confirms."""

    gender: str | None
    guessed: bool = False


def parse_gender(text: str | None) -> str | None:
    """女/男/f/m (and female/male, 女士/男士) as the stored value; empty means not said."""
    if text is None:
        return None
    word = unicodedata.normalize("NFKC", text).strip().lower()
    if not word:
        return None
    found = _LOOKUP.get(word)
    if found is None:
        raise KequError("input.bad_gender", value=text.strip())
    return found


def guess_gender(honorific: str) -> str | None:
    """The gender a 称呼 says, or None: 李姐 → 女, 王哥 → 男, 王总 / 张老师 → None."""
    text = unicodedata.normalize("NFKC", honorific or "").strip()
    if not text:
        return None
    english = _ENGLISH.match(text)
    if english:
        return _ENGLISH_GENDER[english.group(1).lower()]
    for ending, gender in _ENDINGS:
        if text.endswith(ending):
            return gender
    return None


def known_gender(stored: str | None, honorific: str) -> Known:
    """The stored gender; else the 称呼's guess, marked as a guess; else unknown."""
    if stored in (FEMALE, MALE):
        return Known(stored)
    guess = guess_gender(honorific)
    return Known(guess, guessed=guess is not None)


def pronoun(gender: str | None) -> str:
    """他, 她, or TA when it is not known."""
    return {FEMALE: "她", MALE: "他"}.get(gender or "", "TA")


# The playbook writes TA wherever it means the customer; a Latin word around it is not one.
_TA = re.compile(r"(?<![A-Za-z])TA(?![A-Za-z])")


def refer(text: str, gender: str | None) -> str:
    """A Chinese text about the customer with TA turned into 他 or 她 when known."""
    if gender not in (FEMALE, MALE) or "TA" not in text:
        return text
    return _TA.sub(pronoun(gender), text)


def festival_fits(festival_key: str, gender: str | None, relation_type: str | None) -> bool:
    """Whether this festival's greeting suits this person at all.

    ``gender`` is what ``known_gender`` found (a guess counts: 李姐 is greeted on 妇女节);
    unknown is not a woman, so no 妇女节 greeting. A romantic festival needs a family or
    friend relationship.
    """
    if festival_key == WOMENS_DAY:
        return gender == FEMALE
    if festival_key in ROMANTIC_FESTIVALS:
        return relation_type in _PERSONAL
    return True


def festival_suits(festival_key: str, stored: str | None, honorific: str, relation_type: str | None) -> bool:
    """``festival_fits`` for a customer as stored: their gender if said, else the 称呼's guess."""
    return festival_fits(festival_key, known_gender(stored, honorific).gender, relation_type)


RESTRICTED_FESTIVALS = frozenset({WOMENS_DAY, *ROMANTIC_FESTIVALS})
"""The festivals ``festival_fits`` can refuse; for every other one it is always True."""
