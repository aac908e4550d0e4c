"""Greeting and call templates: picking one for a customer and filling it in.

Pure domain: reads only the package data in ``kequ/playbook/templates.toml`` (once, cached)
and the catalogue; no database, no terminal.

Template syntax, for the built-ins and for the ones users write:

* ``{honorific}`` and the other names in ``PLACEHOLDERS`` are filled from the profile.
  Chinese names work too (``{称呼}``, ``{公司}`` ... see ``ALIASES``), as do ``{{name}}``
  and ``{ name }``, because that is how people type them.
* ``[[ ... ]]`` marks an optional part: it disappears when a placeholder inside it is
  empty, so ``[[感谢{company}的信任，]]`` reads well with or without a company.
* An empty placeholder outside ``[[ ]]`` is dropped along with the punctuation it would
  leave dangling (``{honorific}，新年快乐`` → ``新年快乐``).

``fill`` never fails and never leaves a brace from the template in its output; the values
are inserted literally, so a company called ``{x}`` or ``[red]`` comes out as written.
``check_template`` reports what a user should fix before saving a template.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import NamedTuple

from kequ.domain.agenda.rules import LOOKBACK_DAYS
from kequ.domain.calendar.lunar import FESTIVAL_KEYS, MAX_YEAR, MIN_YEAR, festivals_between
from kequ.domain.vocab import ONE_OFF_DATE_KINDS, Disc, Formality
from kequ.i18n import SUPPORTED, catalogue, language, t

PLACEHOLDERS: tuple[str, ...] = (
    "honorific",
    "name",
    "company",
    "my_name",
    "festival",
    "year",
    "product",
    "event",
    "day",
)

ALIASES: Mapping[str, str] = {
    "称呼": "honorific",
    "姓名": "name",
    "名字": "name",
    "公司": "company",
    "我的名字": "my_name",
    "署名": "my_name",
    "节日": "festival",
    "年份": "year",
    "产品": "product",
    "喜事": "event",
    "事件": "event",
    "日子": "day",
    "哪天": "day",
}

CALL_SCRIPTS: tuple[str, ...] = ("deal_call_3", "deal_call_10", "deal_call_20", "call")
"""Occasions whose template is what to say on the phone rather than a message to send."""

TOUCH_OCCASIONS: tuple[str, ...] = ("call", "visit", "complaint", "birthday_ahead", "anniversary")
"""The everyday touches on Today, each with words of its own (kequ.domain.agenda.suggest)."""

OCCASIONS: tuple[str, ...] = (
    *FESTIVAL_KEYS,
    "birthday",
    "birthday_mourning",
    "deal_thanks",
    *CALL_SCRIPTS,
    *(occasion for occasion in TOUCH_OCCASIONS if occasion not in CALL_SCRIPTS),
    "congratulations",
    "condolence",
    # One occasion per life event: a wedding and a hospital stay need their own words.
    *ONE_OFF_DATE_KINDS,
)
GENERIC = "generic"
"""The occasion of the fallback template, used when an occasion has none of its own."""

_ANY = "any"  # the built-in data's word for "every type"


@dataclass(frozen=True, slots=True)
class Template:
    """A template as plain values. ``None`` for disc, formality or lang means "any".

    User templates are stored without a language (they are sent as written), so they
    come with ``lang=None``; ``id`` lets a caller map the chosen one back to its row.
    """

    occasion: str
    body: str
    disc: str | None = None
    formality: str | None = None
    lang: str | None = None
    builtin: bool = False
    id: int | None = None


class Problem(NamedTuple):
    """Something to fix in a user's template; ``message(lang)`` says it in words."""

    code: str  # empty, unknown_placeholder, empty_placeholder, stray_brace, unclosed_clause, stray_clause_end
    detail: str = ""
    pos: int = 0  # where in the text, for highlighting

    def message(self, lang: str | None = None) -> str:
        return t(f"template.problem.{self.code}", lang, detail=self.detail)


# ------------------------------------------------------------------ parsing


class _Field(NamedTuple):
    name: str | None  # canonical placeholder name; None when unknown or blank


class _Clause(NamedTuple):
    children: list[str | _Field | _Clause]


_Node = str | _Field | _Clause

# A run of braces around text counts as one placeholder, so "{{name}}" works; a lone brace
# is a stray. "[[" and "]]" open and close an optional part.
_TOKEN = re.compile(r"\[\[|\]\]|\{+([^{}\[\]\n]*)\}+|[{}]")


def canonical(name: str) -> str | None:
    """The placeholder meant by ``name`` (any case, Chinese alias, spaces or dashes), or None."""
    cleaned = name.strip()
    if cleaned in ALIASES:
        return ALIASES[cleaned]
    key = re.sub(r"[\s-]+", "_", cleaned.lower())
    return key if key in PLACEHOLDERS else None


def _parse(text: str) -> tuple[list[_Node], list[Problem]]:
    root: list[_Node] = []
    # Each open part: its children, where it started, and the list that holds it.
    stack: list[tuple[list[_Node], int, list[_Node]]] = []
    problems: list[Problem] = []
    current = root
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            current.append(text[pos : m.start()])
        token = m.group(0)
        if token == "[[":
            children: list[_Node] = []
            current.append(_Clause(children))
            stack.append((children, m.start(), current))
            current = children
        elif token == "]]":
            if stack:
                current = stack.pop()[2]
            else:
                current.append(token)
                problems.append(Problem("stray_clause_end", token, m.start()))
        elif m.group(1) is None:  # a lone brace
            problems.append(Problem("stray_brace", token, m.start()))
        else:
            label = m.group(1).strip()
            name = canonical(label) if label else None
            if not label:
                problems.append(Problem("empty_placeholder", token, m.start()))
            elif name is None:
                problems.append(Problem("unknown_placeholder", token, m.start()))
            current.append(_Field(name))
        pos = m.end()
    if pos < len(text):
        current.append(text[pos:])
    # An optional part never closed is shown as written, so no text the user typed is lost.
    while stack:
        children, start, parent = stack.pop()
        index = next(i for i, node in enumerate(parent) if isinstance(node, _Clause) and node.children is children)
        parent[index : index + 1] = ["[[", *children]
        problems.append(Problem("unclosed_clause", "[[", start))
    problems.sort(key=lambda p: p.pos)
    return root, problems


# ------------------------------------------------------------------ filling

_GAP = "\x00"  # marks where an empty placeholder was, until the punctuation around it is tidied
_SEP = "，,、；;：:"
_END = "。.！!？?…"
_GAPS = rf"(?:{_GAP}[ \t]*)+"
_TIDY: tuple[tuple[re.Pattern[str], str], ...] = (
    # "（{company}）" → nothing, rather than empty brackets.
    (re.compile(rf"[（(【][ \t]*{_GAPS}[）)】]"), ""),
    # "{honorific}，新年快乐" → "新年快乐": a line must not start with a comma.
    (re.compile(rf"^[ \t]*{_GAPS}[{_SEP}]?[ \t]*", re.M), ""),
    # "祝好！——{my_name}" → "祝好！": no signature dash with nothing after it.
    (re.compile(rf"[ \t]*(?:——|—|--)[ \t]*{_GAPS}$", re.M), ""),
    # "您好，{name}，请…" → "您好，请…": one separator, not two.
    (re.compile(rf"[{_SEP}][ \t]*{_GAPS}(?=[{_SEP}{_END}])"), ""),
    # "Hi {name}, …" → "Hi, …": no space before punctuation.
    (re.compile(rf"[ \t]*{_GAPS}(?=[{_SEP}{_END}])"), ""),
    # "谢谢，{name}" at the end of a line → "谢谢".
    (re.compile(rf"[{_SEP}]?[ \t]*{_GAPS}$", re.M), ""),
)
_INNER_GAP = re.compile(rf"([ \t]*){_GAPS}")


def _clean_value(value: object) -> str:
    # Control characters (a NUL, a terminal escape from an imported file) never belong in a
    # message, and a NUL would be taken for one of our gaps.
    text = "" if value is None else str(value)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return text.strip()


def _values(values: Mapping[str, object]) -> dict[str, str]:
    out: dict[str, str] = {}
    # Canonical names first, so {"honorific": …} wins over an alias given alongside it.
    for key in sorted(values, key=lambda k: canonical(str(k)) != str(k)):
        name = canonical(str(key))
        value = _clean_value(values[key])
        if name is not None and value and name not in out:
            out[name] = value
    # Without a 称呼, the name is still a proper way to address someone.
    if "honorific" not in out and "name" in out:
        out["honorific"] = out["name"]
    return out


def _render(nodes: list[_Node], values: Mapping[str, str]) -> tuple[str, bool]:
    """The text of ``nodes`` and whether a placeholder directly in them was empty."""
    parts: list[str] = []
    missing = False
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        elif isinstance(node, _Field):
            value = values.get(node.name, "") if node.name else ""
            parts.append(value or _GAP)
            missing = missing or not value
        else:
            inner, inner_missing = _render(node.children, values)
            if not inner_missing:
                parts.append(inner)
    return "".join(parts), missing


def _tidy(text: str) -> str:
    for pattern, replacement in _TIDY:
        text = pattern.sub(replacement, text)
    # Between two words keep one space; between two Chinese characters keep none.
    text = _INNER_GAP.sub(lambda m: " " if m.group(0)[0] in " \t" or m.group(0)[-1] in " \t" else "", text)
    return text.strip()


def fill(template_text: str, values: Mapping[str, object]) -> str:
    """The template with ``values`` put in; missing or unknown placeholders are left out.

    Never raises and never leaves a template brace in the result. Values are inserted as
    they are (trimmed, control characters removed): braces or markup in them stay literal.
    """
    nodes, _ = _parse(_clean_template(template_text))
    text, _ = _render(nodes, _values(values))
    return _tidy(text)


def _clean_template(text: str) -> str:
    return (text or "").replace(_GAP, "")


def placeholders(template_text: str) -> list[str]:
    """The known placeholders a template uses, in order of first use."""
    seen: list[str] = []
    for m in _TOKEN.finditer(template_text or ""):
        name = canonical(m.group(1)) if m.group(1) is not None else None
        if name and name not in seen:
            seen.append(name)
    return seen


def check_template(text: str) -> list[Problem]:
    """What is wrong with a user-written template; an empty list means it is fine to save."""
    if not (text or "").strip():
        return [Problem("empty")]
    return _parse(text)[1]


# ------------------------------------------------------------------ built-ins and choosing


class TemplateDataError(ValueError):
    """The packaged templates are malformed: a bug in the release, not a user error."""


@cache
def builtins() -> tuple[Template, ...]:
    """Every built-in template, one per occasion, type, formality and language."""
    package = resources.files("kequ.playbook")
    # Life events keep their messages in a file of their own; the two never share an occasion.
    data = {
        occasion: texts
        for name in ("templates.toml", "life_event_templates.toml")
        for occasion, texts in tomllib.loads(package.joinpath(name).read_text(encoding="utf-8")).items()
    }
    known_occasions = {*OCCASIONS, GENERIC}
    known_discs = {_ANY, *(d.value for d in Disc)}
    known_formality = {f.value for f in Formality}
    out: list[Template] = []
    for occasion, by_disc in data.items():
        if occasion not in known_occasions:
            raise TemplateDataError(f"templates.toml: unknown occasion {occasion!r}")
        for disc, by_formality in by_disc.items():
            if disc not in known_discs:
                raise TemplateDataError(f"templates.toml: {occasion}: unknown type {disc!r}")
            for formality, texts in by_formality.items():
                where = f"{occasion}.{disc}.{formality}"
                if formality not in known_formality:
                    raise TemplateDataError(f"templates.toml: {where}: unknown formality")
                for lang in SUPPORTED:
                    body = texts.get(lang, "")
                    if not isinstance(body, str) or not body.strip() or check_template(body):
                        raise TemplateDataError(f"templates.toml: {where}.{lang}: missing or malformed")
                    out.append(Template(occasion, body, None if disc == _ANY else disc, formality, lang, True))
    return tuple(out)


def _norm_disc(disc: str | None) -> str | None:
    key = (disc or "").strip().upper()
    return key if key in {d.value for d in Disc} else None


def _norm_formality(formality: str | None) -> str | None:
    key = (formality or "").strip().lower()
    return key if key in {f.value for f in Formality} else None


def _norm_lang(lang: str | None) -> str:
    if lang is None:
        return language()
    return lang if lang in SUPPORTED else "zh"


def choose(
    occasion: str,
    disc: str | None,
    formality: str | None,
    lang: str | None,
    custom: Iterable[Template] = (),
) -> Template:
    """The best template for this occasion, customer type, formality and language.

    Order: the exact occasion, else the generic template; within it, a user template that
    fits (its empty fields meaning "any") beats every built-in, then the same type with the
    same formality, the same type in the other formality, the neutral type, any other type.
    An unknown type uses the neutral templates; an unknown formality counts as formal,
    the safer choice with a customer. Always returns a template.
    """
    want_disc = _norm_disc(disc)
    want_formality = _norm_formality(formality) or Formality.FORMAL.value
    want_lang = _norm_lang(lang)
    best: tuple[tuple[int, ...], Template] | None = None
    candidates = [*custom, *builtins()]
    for index, template in enumerate(candidates):
        if template.lang not in (None, want_lang):
            continue
        if template.occasion == occasion:
            occasion_rank = 0
        elif template.occasion == GENERIC:
            occasion_rank = 1
        else:
            continue
        have_disc, have_formality = _norm_disc(template.disc), _norm_formality(template.formality)
        disc_rank = 0 if have_disc == want_disc else 1 if have_disc is None else 2
        formality_rank = 0 if have_formality == want_formality else 1 if have_formality is None else 2
        user = not template.builtin
        fits = disc_rank < 2 and formality_rank < 2
        rank = (
            occasion_rank,
            0 if user and fits else 1,
            disc_rank,
            formality_rank,
            0 if user else 1,
            0 if template.lang == want_lang else 1,
            index,
        )
        if best is None or rank < best[0]:
            best = (rank, template)
    if best is None:  # only if the packaged data lost its generic template
        raise TemplateDataError("templates.toml: no generic template")
    return best[1]


def occasion_label(occasion: str, lang: str | None = None) -> str:
    """The occasion's name in ``lang``; an occasion a user made up is shown as typed."""
    key = f"festival.{occasion}" if occasion in FESTIVAL_KEYS else f"template.occasion.{occasion}"
    return t(key, lang) if key in catalogue() else occasion


def render(
    occasion: str,
    disc: str | None,
    formality: str | None,
    lang: str | None,
    values: Mapping[str, object],
    custom: Iterable[Template] = (),
) -> str:
    """``choose`` and ``fill`` in one step; ``{festival}`` defaults to the occasion's name."""
    lang = _norm_lang(lang)
    merged: dict[str, object] = dict(values)
    given = _values(values)
    if "festival" not in given and occasion in FESTIVAL_KEYS:
        merged["festival"] = occasion_label(occasion, lang)
    return fill(choose(occasion, disc, formality, lang, custom).body, merged)


def sign(message: str, signature: str, occasion: str = GENERIC) -> str:
    """The message with the user's signature (the my_signature setting) on a line of its own
    under it. A call script is said, not sent, and an empty signature adds nothing."""
    signature = _clean_value(signature)
    if not signature or not message.strip() or occasion in CALL_SCRIPTS or message.rstrip().endswith(signature):
        return message
    return f"{message.rstrip()}\n{signature}"


def occasion_year(occasion: str, today: date) -> int:
    """The year a message for this occasion, written today, is about: a festival's coming
    day (or one just past that is still being greeted, as on the agenda), else this year.
    In December the 元旦 greeting is for next year."""
    if occasion not in FESTIVAL_KEYS:
        return today.year
    # The calendar covers 1901 to 2099: what lies outside is simply not looked into.
    start = max(today - timedelta(days=LOOKBACK_DAYS["festival"]), date(MIN_YEAR, 1, 1))
    end = min(start + timedelta(days=400), date(MAX_YEAR, 12, 31))
    found = next((f.date for f in festivals_between(start, end) if f.key == occasion), None)
    return found.year if found else today.year
