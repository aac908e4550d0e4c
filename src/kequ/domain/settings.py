"""The user's settings: who I am and how I work, one value per key.

Pure: what each setting is (its key, kind, default and limits), how a typed value is read
and checked, how a value is shown. Where the values are kept is the storage's business
(the ``setting`` table); the names and explanations are in ``locale/settings.toml`` under
``settings.<key>``.

A value read back from the database is checked again (``stored_value``): a file edited by
hand or written by a later version falls back to the default rather than failing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from kequ.domain.agenda.first_touches import DEFAULT_FIRST_TOUCH_CAP, MAX_FIRST_TOUCH_CAP, TIER_ORDER
from kequ.domain.agenda.rules import DEFAULT_FESTIVAL_TIERS, DEFAULT_FESTIVALS
from kequ.domain.calendar.lunar import FESTIVAL_KEYS
from kequ.domain.reminders import DEFAULT_LEAD_MINUTES, MAX_LEAD_MINUTES
from kequ.domain.rhythms import MAX_RHYTHM_DAYS, RHYTHM_KINDS, default_days, setting_key
from kequ.domain.validation import split_list
from kequ.domain.values import whole_number
from kequ.errors import KequError
from kequ.i18n import SUPPORTED, t
from kequ.inert import inert_text

TEXT = "text"
COUNT = "count"
TIERS = "tiers"
FESTIVALS = "festivals"

MAX_MY_NAME = 40
MAX_SIGNATURE = 200
MAX_PATH = 1000


@dataclass(frozen=True, slots=True)
class SettingSpec:
    key: str
    kind: str  # TEXT, COUNT, TIERS or FESTIVALS
    default: object
    most: int = 0  # the longest text, or the largest count
    least: int = 0  # the smallest count
    # A tier's rhythm: (tier, kind). Its label is made from the two; one help says what they do.
    rhythm: tuple[str, str] | None = None

    def label(self, lang: str | None = None) -> str:
        if self.rhythm is not None:
            tier, kind = self.rhythm
            names = {"tier": t(f"vocab.tier.{tier}", lang), "kind": t(f"vocab.kind.{kind}", lang)}
            return t("settings.rhythm.label", lang, **names)
        return t(f"settings.{self.key}.label", lang)

    def help(self, lang: str | None = None) -> str:
        if self.rhythm is not None:
            return t("settings.rhythm.help", lang)
        return t(f"settings.{self.key}.help", lang)

    def choices(self) -> tuple[str, ...]:
        """The values a list setting may hold, in the order they are shown."""
        if self.kind == TIERS:
            return tuple(TIER_ORDER)
        if self.kind == FESTIVALS:
            return FESTIVAL_KEYS
        return ()

    def choice_label(self, choice: str, lang: str | None = None) -> str:
        return t(f"vocab.tier.{choice}" if self.kind == TIERS else f"festival.{choice}", lang)


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("my_name", TEXT, "", most=MAX_MY_NAME),
    SettingSpec("my_signature", TEXT, "", most=MAX_SIGNATURE),
    SettingSpec("first_touch_cap", COUNT, DEFAULT_FIRST_TOUCH_CAP, most=MAX_FIRST_TOUCH_CAP, least=1),
    SettingSpec("festival_tiers", TIERS, DEFAULT_FESTIVAL_TIERS),
    SettingSpec("festivals", FESTIVALS, DEFAULT_FESTIVALS),
    # How long before a timed visit ``kequ remind`` says it is coming (0: at the time itself).
    SettingSpec("remind_minutes", COUNT, DEFAULT_LEAD_MINUTES, most=MAX_LEAD_MINUTES, least=0),
    # The calendar file ``kequ remind`` keeps current (``kequ export --feed``); empty: none.
    SettingSpec("remind_feed", TEXT, "", most=MAX_PATH),
    # How often each tier is called and visited: the playbook's cadences until the user says.
    *(
        SettingSpec(setting_key(tier, kind), COUNT, default_days(tier, kind), MAX_RHYTHM_DAYS, 0, (tier, kind))
        for tier in TIER_ORDER
        for kind in RHYTHM_KINDS
    ),
)
_BY_KEY: Mapping[str, SettingSpec] = {spec.key: spec for spec in SETTINGS}
KEYS: tuple[str, ...] = tuple(_BY_KEY)


def spec_for(key: str) -> SettingSpec:
    """The setting called ``key`` (as typed: case and spaces do not matter), or a refusal
    that lists the ones there are."""
    found = _BY_KEY.get(key.strip().lower().replace("-", "_"))
    if found is None:
        raise KequError("settings.unknown_key", name=inert_text(key), known=", ".join(KEYS))
    return found


def _refuse(spec: SettingSpec, value: str, problem: str, **params: object) -> KequError:
    why = t(f"settings.problem.{problem}", **params)
    return KequError("settings.bad_value", label=spec.label(), setting=spec.key, value=inert_text(value), why=why)


def parse(spec: SettingSpec, text: str) -> object:
    """The value meant by ``text`` as the user typed it, or a KequError saying what is wrong."""
    if not isinstance(text, str):
        raise _refuse(spec, repr(text), "not_text")
    if spec.kind == TEXT:
        value = inert_text(text).strip()
        if len(value) > spec.most:
            raise _refuse(spec, value, "too_long", most=spec.most, length=len(value))
        return value
    if spec.kind == COUNT:
        number = whole_number(text)  # full-width ０-９ as well
        if number is None:
            raise _refuse(spec, text, "not_count", least=spec.least, most=spec.most)
        if not spec.least <= number <= spec.most:
            raise _refuse(spec, text, "out_of_range", least=spec.least, most=spec.most)
        return number
    return _parse_choices(spec, text)


def _parse_choices(spec: SettingSpec, text: str) -> tuple[str, ...]:
    """A list typed as keys or names in either language: ``key,potential``, ``关键、潜力``."""
    names: dict[str, str] = {}
    for choice in spec.choices():
        names[choice] = choice
        for lang in SUPPORTED:
            names[spec.choice_label(choice, lang).lower()] = choice
    chosen: set[str] = set()
    for word in split_list(unicodedata.normalize("NFKC", text)):
        found = names.get(word.lower())
        if found is None:
            options = ", ".join(f"{choice}={spec.choice_label(choice)}" for choice in spec.choices())
            raise _refuse(spec, text, "unknown_choice", word=inert_text(word), options=options)
        chosen.add(found)
    return tuple(choice for choice in spec.choices() if choice in chosen)


def check(spec: SettingSpec, value: object) -> object:
    """A value from a form, a script or the database, checked as strictly as typed text:
    a list for a list setting, a whole number for a count, or the text a person would type."""
    if spec.kind in (TIERS, FESTIVALS) and isinstance(value, list | tuple):
        if not all(isinstance(item, str) for item in value):
            raise _refuse(spec, repr(value), "not_text")
        return _parse_choices(spec, ",".join(value))
    if spec.kind == COUNT and isinstance(value, int) and not isinstance(value, bool):
        return parse(spec, str(value))
    if not isinstance(value, str):
        raise _refuse(spec, repr(value), "not_text")
    return parse(spec, value)


def stored_value(spec: SettingSpec, raw: object) -> object:
    """A value as it was read from the database, or the default if it is missing or not valid."""
    if raw is None:
        return spec.default
    try:
        return check(spec, raw)
    except KequError:
        return spec.default


def resolve(stored: Mapping[str, object]) -> dict[str, object]:
    """Every setting's value: what is stored where it is valid, the default elsewhere."""
    return {spec.key: stored_value(spec, stored.get(spec.key)) for spec in SETTINGS}


def as_text(spec: SettingSpec, value: object) -> str:
    """The value as ``kequ config KEY`` prints it and takes it back: ``key,potential``."""
    if spec.kind in (TIERS, FESTIVALS):
        return ",".join(value)  # type: ignore[arg-type]
    return str(value)


def shown(spec: SettingSpec, value: object, lang: str | None = None) -> str:
    """The value as a person reads it: ``关键、潜力``; an empty text or list says so."""
    if spec.kind in (TIERS, FESTIVALS):
        items = [spec.choice_label(choice, lang) for choice in value]  # type: ignore[union-attr]
        return t("punct.list_sep", lang).join(items) if items else t("settings.none", lang)
    text = str(value)
    return text if text else t("settings.not_set", lang)
