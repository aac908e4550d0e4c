"""DISC-style personality types, the secondary tags, the relationship ladder and the playbook texts.

Pure domain: reads only the package data in ``kequ/playbook/*.toml`` (once, cached) and the
catalogue in ``kequ/locale``; no database, no terminal.

Two parts:

* **Classification.** ``QUESTIONS`` are things a salesperson can observe without a test.
  Every answer votes on one or both axes: *pace* (fast = D/I, steady = S/C) and *focus*
  (task = D/C, people = I/S). ``classify`` counts the votes; the signs of the two axes pick
  the type. Too few answers, or a tie on either axis, give no type, and the reasons say why.
* **Approach.** ``approach(disc, kind, lang)`` gives the advice for a kind of touch, in one
  line or in full; ``tag_approach``, ``ladder_hint``, ``relation_advice``, ``taboos`` and
  ``gift_principles`` give the rest of the playbook.

Reasons are i18n-able rather than plain strings: each ``Reason`` is a catalogue key plus
params, rendered with ``Reason.text(lang)``. A param whose name ends in ``_key`` names
another catalogue entry and is translated first (``observed_key`` fills ``{observed}``), so
the same reasoning reads correctly in either language.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, NamedTuple

from kequ.domain.gender import refer
from kequ.domain.vocab import Disc, Ladder, RelationType, TouchKind
from kequ.i18n import SUPPORTED, language, t

UNKNOWN = "unknown"
"""The key of the advice used while a customer's type is not known."""

MIN_ANSWERS = 2
"""One observation is a guess: a type needs at least this many answers."""

TAG_GROUPS = ("problem", "buying_mind")


# ------------------------------------------------------------------ bilingual texts


def _lang(lang: str | None) -> str:
    if lang is None:
        return language()
    return lang if lang in SUPPORTED else "zh"


class Text(NamedTuple):
    """One text in both languages."""

    zh: str
    en: str

    def get(self, lang: str | None = None) -> str:
        """The text in ``lang`` (default: the current language); unknown languages get Chinese."""
        return self.en if _lang(lang) == "en" else self.zh


class Advice(NamedTuple):
    """An approach as a one-liner (a Today row) and in full (the profile, before a touch)."""

    short: Text
    full: Text

    def get(self, lang: str | None = None, full: bool = False) -> str:
        return (self.full if full else self.short).get(lang)


@dataclass(frozen=True, slots=True)
class TypeProfile:
    key: str  # "D", "I", "S", "C" or UNKNOWN
    name: Text
    motto: Text
    recognise: Text
    approach: Text
    avoid: Text
    touch: Mapping[str, Advice]
    care: Advice  # for any touch that answers an illness or a bereavement


@dataclass(frozen=True, slots=True)
class TagProfile:
    key: str
    group: str  # one of TAG_GROUPS
    name: Text
    recognise: Text
    advice: Advice
    touch: Mapping[str, Advice]  # only the kinds where the tag changes what to do


@dataclass(frozen=True, slots=True)
class Relation:
    key: str
    name: Text
    what: Text  # how the customer sees you
    serve: Text  # how to look after this kind of relationship


@dataclass(frozen=True, slots=True)
class LadderStep:
    key: str
    name: Text
    meaning: Text
    next: Text  # how to reach the next step; on the last step, how to keep it


@dataclass(frozen=True, slots=True)
class Principle:
    key: str
    title: Text
    text: Text


# ------------------------------------------------------------------ loading the playbook


class PlaybookError(ValueError):
    """The packaged playbook data is malformed: a bug in the release, not a user error."""


@cache
def _data(name: str) -> dict[str, Any]:
    source = resources.files("kequ.playbook").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(source)


def _text(table: Mapping[str, Any], name: str, where: str) -> Text:
    entry = table.get(name)
    if not isinstance(entry, Mapping):
        raise PlaybookError(f"{where}.{name}: missing")
    zh, en = entry.get("zh"), entry.get("en")
    if not (isinstance(zh, str) and zh.strip() and isinstance(en, str) and en.strip()):
        raise PlaybookError(f"{where}.{name}: needs non-empty zh and en")
    return Text(zh.strip(), en.strip())


def _advice(table: Mapping[str, Any], where: str) -> Advice:
    return Advice(_text(table, "short", where), _text(table, "full", where))


def _touch(table: Mapping[str, Any], where: str, required: bool) -> Mapping[str, Advice]:
    touch = table.get("touch", {})
    kinds = {k.value for k in TouchKind}
    if unknown := set(touch) - kinds:
        raise PlaybookError(f"{where}.touch: unknown kinds {sorted(unknown)}")
    if required and (missing := kinds - set(touch)):
        raise PlaybookError(f"{where}.touch: missing kinds {sorted(missing)}")
    # Keep TouchKind's order so a help screen lists the kinds the same way everywhere.
    return MappingProxyType(
        {k.value: _advice(touch[k.value], f"{where}.touch.{k.value}") for k in TouchKind if k.value in touch}
    )


@cache
def _types() -> Mapping[str, TypeProfile]:
    data = _data("types.toml")
    out: dict[str, TypeProfile] = {}
    for key in [d.value for d in Disc] + [UNKNOWN]:
        table = data.get(key)
        if not isinstance(table, Mapping):
            raise PlaybookError(f"types.toml: no [{key}]")
        out[key] = TypeProfile(
            key=key,
            name=_text(table, "name", key),
            motto=_text(table, "motto", key),
            recognise=_text(table, "recognise", key),
            approach=_text(table, "approach", key),
            avoid=_text(table, "avoid", key),
            touch=_touch(table, key, required=True),
            care=_advice(table.get("care", {}), f"{key}.care"),
        )
    return MappingProxyType(out)


@cache
def _tags() -> Mapping[str, TagProfile]:
    out: dict[str, TagProfile] = {}
    for key, table in _data("tags.toml").items():
        group = table.get("group")
        if group not in TAG_GROUPS:
            raise PlaybookError(f"tags.toml [{key}]: group must be one of {TAG_GROUPS}")
        out[key] = TagProfile(
            key=key,
            group=group,
            name=_text(table, "name", key),
            recognise=_text(table, "recognise", key),
            advice=_advice(table, key),
            touch=_touch(table, key, required=False),
        )
    return MappingProxyType(out)


@cache
def _relations() -> Mapping[str, Relation]:
    table = _data("relations.toml").get("relation", {})
    out = {}
    for rel in RelationType:
        entry = table.get(rel.value)
        if not isinstance(entry, Mapping):
            raise PlaybookError(f"relations.toml: no [relation.{rel.value}]")
        where = f"relation.{rel.value}"
        out[rel.value] = Relation(
            rel.value, _text(entry, "name", where), _text(entry, "what", where), _text(entry, "serve", where)
        )
    return MappingProxyType(out)


@cache
def _ladder() -> tuple[LadderStep, ...]:
    table = _data("relations.toml").get("ladder", {})
    steps = []
    for step in Ladder:
        entry = table.get(step.value)
        if not isinstance(entry, Mapping):
            raise PlaybookError(f"relations.toml: no [ladder.{step.value}]")
        where = f"ladder.{step.value}"
        steps.append(
            LadderStep(
                step.value, _text(entry, "name", where), _text(entry, "meaning", where), _text(entry, "next", where)
            )
        )
    return tuple(steps)


@cache
def _principles(section: str) -> tuple[Principle, ...]:
    out = []
    for i, entry in enumerate(_data("taboos.toml").get(section, [])):
        key = entry.get("key")
        if not isinstance(key, str) or not key:
            raise PlaybookError(f"taboos.toml [[{section}]] #{i}: no key")
        out.append(Principle(key, _text(entry, "title", key), _text(entry, "text", key)))
    return tuple(out)


# ------------------------------------------------------------------ accessors


def types() -> Mapping[str, TypeProfile]:
    """The four types, keyed and ordered D, I, S, C (without the 'unknown' advice)."""
    return MappingProxyType({k: v for k, v in _types().items() if k != UNKNOWN})


def normalise(disc: str | None) -> str | None:
    """``"d"``, ``" D "`` and ``Disc.D`` all mean D; anything else (None, "", "X") means unknown."""
    if disc is None:
        return None
    key = str(disc).strip().upper()
    return key if key in _types() and key != UNKNOWN else None


def type_profile(disc: str | None) -> TypeProfile:
    """The profile for ``disc``; the 'unknown' profile when the type is not (validly) known.

    A customer whose type was never set, or whose stored value a later version no longer
    knows, still gets useful advice rather than an error on the Today screen.
    """
    return _types()[normalise(disc) or UNKNOWN]


def approach(
    disc: str | None, kind: str, lang: str, full: bool = False, care: bool = False, gender: str | None = None
) -> str:
    """How to approach a customer of type ``disc`` for a touch of ``kind``.

    ``full=False`` gives one line for a Today row, ``full=True`` two to four sentences.
    ``care`` is for a touch answering an illness or a bereavement: the visit advice for a
    sales call ("bring an agenda") would be wrong at a hospital bed.
    A kind without its own advice (one added to TouchKind later) gets the type's core
    approach, so a new kind never shows a blank. ``gender`` turns the playbook's TA into
    他 or 她 (``kequ.domain.gender.refer``).
    """
    profile = type_profile(disc)
    if care:
        return refer(profile.care.get(lang, full), gender)
    advice = profile.touch.get(str(kind))
    return refer(profile.approach.get(lang) if advice is None else advice.get(lang, full), gender)


def tags() -> Mapping[str, TagProfile]:
    """The secondary tags by stable key, problem types first, then buying-mind types."""
    return _tags()


def tag_key(label: str) -> str | None:
    """The tag meant by ``label``: its key, Chinese name or English name (any case); else None.

    Customer tags are free text, so the UI can find the playbook tags among them.
    """
    wanted = label.strip().casefold()
    if not wanted:
        return None
    for key, tag in _tags().items():
        if wanted in (key.casefold(), tag.name.zh.casefold(), tag.name.en.casefold()):
            return key
    return None


def tag_approach(tag: str, lang: str, full: bool = False, kind: str | None = None) -> str:
    """The approach for a secondary tag (key or name); with ``kind``, the touch-specific one if any.

    Raises ValueError for a tag that is not in the playbook: free-text tags should be
    filtered with ``tag_key`` first.
    """
    key = tag_key(tag)
    if key is None:
        raise ValueError(f"not a playbook tag: {tag!r}")
    profile = _tags()[key]
    advice = profile.touch.get(kind, profile.advice) if kind is not None else profile.advice
    return advice.get(lang, full)


def ladder() -> tuple[LadderStep, ...]:
    """The steps in order, from acquainted to loyalty."""
    return _ladder()


def _step(step: str) -> LadderStep:
    for entry in _ladder():
        if entry.key == step:
            return entry
    raise ValueError(f"not a ladder step: {step!r}")


def next_step(step: str) -> str | None:
    """The step after ``step``, or None on the last one."""
    keys = [s.key for s in _ladder()]
    i = keys.index(_step(step).key)
    return keys[i + 1] if i + 1 < len(keys) else None


def ladder_hint(step: str, lang: str) -> str:
    """What to do to reach the next step from ``step`` (on the last step: how to keep it)."""
    return _step(step).next.get(lang)


def relations() -> Mapping[str, Relation]:
    return _relations()


def relation_advice(rel: str, lang: str) -> str:
    """How to look after a relationship of type ``rel`` (family, friend, adviser, star)."""
    entry = _relations().get(rel)
    if entry is None:
        raise ValueError(f"not a relationship type: {rel!r}")
    return entry.serve.get(lang)


def taboos() -> tuple[Principle, ...]:
    return _principles("taboo")


def gift_principles() -> tuple[Principle, ...]:
    return _principles("gift")


# ------------------------------------------------------------------ classification

# Votes on the two axes. A positive pace vote is fast (D/I); a positive focus vote is task (D/C).
FAST, SLOW, TASK, PEOPLE = "fast", "slow", "task", "people"
_TYPE_BY_SIGNS = {(1, 1): Disc.D, (1, -1): Disc.I, (-1, 1): Disc.C, (-1, -1): Disc.S}


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    key: str
    pace: int  # +1 fast, -1 steady, 0 says nothing about pace
    focus: int  # +1 task, -1 people, 0 says nothing about focus

    def label(self, lang: str | None = None) -> str:
        return t(f"disc.answer.{self.question}.{self.key}", lang)


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    answers: tuple[Answer, ...]

    def prompt(self, lang: str | None = None) -> str:
        return t(f"disc.question.{self.key}", lang)

    def answer(self, key: str) -> Answer:
        for a in self.answers:
            if a.key == key:
                return a
        raise ValueError(f"question {self.key!r} has no answer {key!r}")


def _question(key: str, *answers: tuple[str, int, int]) -> Question:
    return Question(key, tuple(Answer(key, a, pace, focus) for a, pace, focus in answers))


# Two questions per single axis and two that place a type directly, so each axis gets up to
# four votes and one odd observation cannot decide the type alone.
QUESTIONS: tuple[Question, ...] = (
    _question("lead", ("leads", 1, 0), ("follows", -1, 0)),
    _question("pace", ("fast", 1, 0), ("slow", -1, 0)),
    _question("focus", ("task", 0, 1), ("people", 0, -1)),
    _question("opening", ("task", 0, 1), ("people", 0, -1)),
    _question("speech", ("direct", 1, 1), ("lively", 1, -1), ("precise", -1, 1), ("calm", -1, -1)),
    _question("wants", ("results", 1, 1), ("recognition", 1, -1), ("proof", -1, 1), ("assurance", -1, -1)),
)
_BY_KEY = {q.key: q for q in QUESTIONS}


@dataclass(frozen=True, slots=True)
class Reason:
    """One line of the reasoning: a catalogue key and its params (see the module docstring)."""

    key: str
    params: Mapping[str, str | int] = field(default_factory=dict)

    def text(self, lang: str | None = None) -> str:
        lang = _lang(lang)
        values: dict[str, object] = {}
        for name, value in self.params.items():
            if name.endswith("_key"):
                values[name.removesuffix("_key")] = t(str(value), lang)
            else:
                values[name] = value
        return t(self.key, lang, **values)


@dataclass(frozen=True, slots=True)
class Classification:
    type: Disc | None
    scores: Mapping[str, int]  # vote counts: fast, slow, task, people
    answered: int
    reasons: tuple[Reason, ...]

    @property
    def pace(self) -> int:
        """Positive: fast (D/I); negative: steady (S/C); zero: undecided."""
        return self.scores[FAST] - self.scores[SLOW]

    @property
    def focus(self) -> int:
        """Positive: task (D/C); negative: people (I/S); zero: undecided."""
        return self.scores[TASK] - self.scores[PEOPLE]

    def reason_lines(self, lang: str | None = None) -> list[str]:
        return [r.text(lang) for r in self.reasons]


def _sign(n: int) -> int:
    return (n > 0) - (n < 0)


def _lean_key(axis: str, vote: int) -> str:
    if axis == "pace":
        return f"disc.lean.{FAST if vote > 0 else SLOW}"
    return f"disc.lean.{TASK if vote > 0 else PEOPLE}"


def _answer_reason(a: Answer) -> Reason:
    observed = f"disc.observed.{a.question}.{a.key}"
    if a.pace and a.focus:
        return Reason(
            "disc.reason.answer_both",
            {"observed_key": observed, "pace_key": _lean_key("pace", a.pace), "focus_key": _lean_key("focus", a.focus)},
        )
    axis, vote = ("pace", a.pace) if a.pace else ("focus", a.focus)
    return Reason("disc.reason.answer", {"observed_key": observed, "lean_key": _lean_key(axis, vote)})


def classify(answers: Mapping[str, str | None]) -> Classification:
    """Place a customer from observations: ``{question key: answer key}``.

    A question left out, or answered with "" or None, does not count. An unknown question
    or answer raises ValueError: it would mean the UI and this module disagree.
    """
    chosen: list[Answer] = []
    for qkey, akey in answers.items():
        question = _BY_KEY.get(qkey)
        if question is None:
            raise ValueError(f"unknown question {qkey!r}")
        if akey is None or not str(akey).strip():
            continue
        chosen.append(question.answer(str(akey).strip()))
    # Reasons follow the questionnaire's order, whatever order the mapping came in.
    chosen.sort(key=lambda a: [q.key for q in QUESTIONS].index(a.question))

    scores = {
        FAST: sum(a.pace > 0 for a in chosen),
        SLOW: sum(a.pace < 0 for a in chosen),
        TASK: sum(a.focus > 0 for a in chosen),
        PEOPLE: sum(a.focus < 0 for a in chosen),
    }
    reasons = [_answer_reason(a) for a in chosen]
    pace, focus = _sign(scores[FAST] - scores[SLOW]), _sign(scores[TASK] - scores[PEOPLE])

    verdict: Disc | None = None
    if len(chosen) < MIN_ANSWERS:
        reasons.append(Reason("disc.reason.too_few", {"answered": len(chosen), "need": MIN_ANSWERS}))
    else:
        if pace == 0:
            reasons.append(Reason("disc.reason.undecided.pace", {FAST: scores[FAST], SLOW: scores[SLOW]}))
        if focus == 0:
            reasons.append(Reason("disc.reason.undecided.focus", {TASK: scores[TASK], PEOPLE: scores[PEOPLE]}))
        if pace and focus:
            verdict = _TYPE_BY_SIGNS[(pace, focus)]
            reasons.append(
                Reason(
                    "disc.reason.result",
                    {
                        "pace_key": _lean_key("pace", pace),
                        "focus_key": _lean_key("focus", focus),
                        "type_key": f"vocab.disc.{verdict.value}",
                        "letter": verdict.value,
                        **scores,
                    },
                )
            )
    if verdict is None:
        reasons.append(Reason("disc.reason.no_type"))
    return Classification(verdict, MappingProxyType(scores), len(chosen), tuple(reasons))
