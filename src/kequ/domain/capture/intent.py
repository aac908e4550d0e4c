"""Who a line is about, what happened and what comes next.

``read_capture(text, said_on, book, calendar)`` puts the pieces together:

* **The customer** (when not given): the 称呼 or name as written anywhere in the line
  (王总, 王建国), or a Latin word that is a name's whole pinyin or initials (wangzong, wz),
  as search's exact match takes them. Two customers named (two 王总 in the book, or 王总
  and 李姐 in one line) are a question, never a pick.
* **What happened**: 打了电话 / 电话里 / 通话 → call; 拜访了 / 见了 / 上门 / 吃饭 → visit;
  发了微信 / 短信 → message; 送了 → gift; 邮件 → email. None: the line is only a note.
  Its day is a past day said beside it (昨天见了王总), else the day the line is said.
* **What comes next**: 再约 / 去他公司 / 上门 / 拜访 / 回访 → visit; 打给他 / 电话跟进 → call;
  发微信 → message; 送 → gift; 发邮件 → email; 联系 / 跟进 with no medium → call. Its day is
  the day said in the same clause (clauses end at ，。；！？), else the one future day of the
  line; a future day with no step named is a call.
* Words that go both ways (上门, 吃饭, 电话, 微信, 短信, 邮件) follow their clause: a future
  day or 再/要/准备/约… make them the next step, 了/过 or a past day what happened.

Nothing is dropped: the whole line is the note, and ``unread`` lists what was seen but
not understood (过几天, 春节前, a step with no day).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from kequ.domain.calendar.workdays import PLAIN_WEEKENDS, WorkCalendar
from kequ.domain.capture.dates import When, find_whens, normalise
from kequ.domain.capture.result import Capture, Unread
from kequ.domain.search import name_forms

__all__ = ["Book", "Person", "read_capture"]


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    honorific: str = ""
    keys: str = ""  # customer.search_keys: the pinyin and initials forms


_LONGEST_NAME = 12


def _written(text: str) -> str:
    return "".join(normalise(text).split())


class Book:
    """The customers a line may name, indexed once: each line is then a few dict lookups."""

    def __init__(self, people: Iterable[Person]) -> None:
        self.written: dict[str, set[int]] = {}
        self.spoken: dict[str, set[int]] = {}
        self.ids: set[int] = set()
        # The first two characters of a longer name or 称呼 (王总 of 王总监): for "did you mean".
        self.starts: dict[str, set[int]] = {}
        for person in people:
            self.ids.add(person.id)
            for text in (person.name, person.honorific):
                form = _written(text)
                # One character (王, 李) would be found in half the lines anyone writes.
                if len(form) >= 2:
                    self.written.setdefault(form[:_LONGEST_NAME], set()).add(person.id)
                if len(form) >= 3:
                    self.starts.setdefault(form[:2], set()).add(person.id)
            for form in name_forms(person.keys):
                if form.isascii() and len(form) >= 2:
                    self.spoken.setdefault(form, set()).add(person.id)

    def named_in(self, line: str) -> tuple[tuple[int, ...], str]:
        """The customers the line names, and the words that named them (first first)."""
        found: dict[int, None] = {}
        said: list[str] = []
        at = 0
        while at < len(line):
            for size in range(min(_LONGEST_NAME, len(line) - at), 1, -1):
                ids = self.written.get(line[at : at + size])
                if ids and line[at + size - 1 : at + size + 1] not in _LONGER_TITLES:
                    found.update(dict.fromkeys(sorted(ids)))
                    said.append(line[at : at + size])
                    at += size
                    break
            else:
                at += 1
        for number in _ID.findall(line):
            if int(number) in self.ids:  # #19: the id, as search and the CLI take it
                found[int(number)] = None
                said.append(f"#{number}")
        for word in _LATIN.findall(line):
            ids = self.spoken.get(word)
            if ids:
                found.update(dict.fromkeys(sorted(ids)))
                said.append(word)
        return tuple(found), "、".join(dict.fromkeys(said))

    def close_to(self, line: str) -> tuple[str, tuple[int, ...]]:
        """For a line that names nobody: the words that begin a longer name or 称呼 (王总 of
        王总监), and whose; ("", ()) when there are none."""
        for at in range(len(line) - 1):
            ids = self.starts.get(line[at : at + 2])
            if ids:
                return line[at : at + 2], tuple(sorted(ids))
        return "", ()


_LATIN = re.compile(r"[a-z]{2,}")
_ID = re.compile(r"#(\d{1,9})")
# 王总 is not 王总监, 李姐 not 李姐夫: a 称呼 that runs on into a longer title names someone else.
_LONGER_TITLES = frozenset({"总监", "总裁", "总工", "总助", "姐夫", "哥们"})

# (kind, tense, pattern): "past" what happened, "next" what is to come, "either" decided by
# its clause. Earlier rows win where two match at the same place.
_CUES: list[tuple[str, str, str]] = [
    ("call", "past", r"打了.{0,3}电话|打过.{0,3}电话|通了.{0,2}电话|电话里|电话中|通话|来电|接到.{0,4}电话|回了电话"),
    ("call", "next", r"电话跟进|电话回访|电话联系|电话确认|打给他|打给她|打个电话|回个电话|回电话|再打|致电"),
    (
        "visit",
        "past",
        r"拜访了|拜访过|去了.{0,4}?(?:公司|厂里|工厂|办公室|店里)|见了|见过|见到|上门了|吃了饭|吃过饭|喝了茶|面谈了|见面了|碰了面|碰面了",
    ),
    (
        "visit",
        "next",
        r"再约|约.{0,3}(?:见面|见|面谈|吃饭|喝茶|时间)|去.{0,4}?(?:公司|厂里|工厂|办公室|店里|那边|那儿|那里)"
        r"|登门|拜访|回访|见面|面谈|开会|带(?:上)?样品",
    ),
    (
        "message",
        "past",
        r"发了.{0,2}(?:微信|短信|信息|消息)|发过.{0,2}(?:微信|短信)|微信里|微信上|回了微信|回了短信|短信里",
    ),
    ("message", "next", r"发(?:个)?(?:微信|短信|信息|消息)|微信跟进|微信联系"),
    ("gift", "past", r"送了|送过|寄了"),
    ("gift", "next", r"(?<![发运接护])送(?![货达到])"),
    ("email", "past", r"发了.{0,2}邮件|邮件里|回了邮件|收到.{0,3}邮件"),
    ("email", "next", r"发(?:个)?邮件"),
    ("visit", "either", r"上门|吃饭|喝茶"),
    ("call", "either", r"电话|打电话"),
    ("message", "either", r"微信|短信"),
    ("email", "either", r"邮件|email|e-mail"),
    ("call", "generic", r"联系|跟进|沟通|问问|催一?下|催他|确认"),
]
_CUE_SCANNER = re.compile("|".join(f"(?P<c{i}>{body})" for i, (_k, _t, body) in enumerate(_CUES)))
_CLAUSE_END = re.compile(r"[，,。;；！!？?\n、]")
_NEXT_WORDS = re.compile(r"再|要|准备|打算|记得|安排|计划|约|下次|到时|提醒|争取|之前|以前|前")
_PAST_MARK = re.compile(r"了|过(?![两几一二三四五六七八九十\d段阵些])|刚|已经")


@dataclass(frozen=True, slots=True)
class _Cue:
    kind: str
    tense: str
    start: int
    end: int
    clause: int


def _clauses(line: str) -> list[int]:
    """The start of each clause, by position: clause index = how many ends come before."""
    return [m.end() for m in _CLAUSE_END.finditer(line)]


def _clause_of(ends: list[int], at: int) -> int:
    return sum(1 for end in ends if end <= at)


def _cues(line: str, ends: list[int]) -> list[_Cue]:
    found = []
    for match in _CUE_SCANNER.finditer(line):
        kind, tense, _body = _CUES[int(match.lastgroup[1:])]  # type: ignore[index]
        found.append(_Cue(kind, tense, match.start(), match.end(), _clause_of(ends, match.start())))
    return found


def _is_future(when: When, said_on: date) -> bool:
    if when.problem:
        return False
    if when.days:
        return max(when.days) > said_on or (when.days[0] == said_on and bool(when.times))
    return bool(when.times)


def _is_past(when: When, said_on: date) -> bool:
    return bool(when.days) and not when.problem and max(when.days) < said_on


def _either_tense(cue: _Cue, line: str, clause_text: str, whens: list[When], said_on: date) -> str:
    """上门, 电话…: what happened or what comes next, by what is said around them."""
    if line[cue.end : cue.end + 1] in ("了", "过"):
        return "past"
    if any(_is_future(w, said_on) for w in whens):
        return "next"
    if any(_is_past(w, said_on) for w in whens):
        return "past"
    if _NEXT_WORDS.search(clause_text):
        return "next"
    return "past"


def read_capture(
    text: str,
    said_on: date,
    book: Book | None = None,
    calendar: WorkCalendar = PLAIN_WEEKENDS,
    customer_id: int | None = None,
    now: time | None = None,
    implied: bool = False,
) -> Capture:
    """The line read; see the module docstring for the rules. ``now``: the time of day it
    is said, when ``said_on`` is today: a next step at a time already gone today is not
    planned in the past (7点 said at 23:17 is tomorrow; 今天下午3点 asks today or tomorrow).
    ``implied``: ``customer_id`` was not said but taken from where the line is typed (a
    profile): a line naming only other customers asks whose it is."""
    line = normalise(text)
    whens = find_whens(text, said_on, calendar)
    ends = _clauses(line)
    bounds = [0, *ends, len(line) + 1]
    clause_whens: dict[int, list[When]] = {}
    for when in whens:
        clause_whens.setdefault(_clause_of(ends, when.start), []).append(when)
    unread: list[Unread] = [Unread(w.problem, w.params) for w in whens if w.problem]

    if customer_id is not None:
        customers, customer_said = (customer_id,), ""
        named, said = book.named_in(line) if book is not None and implied else ((), "")
        if named and customer_id not in named:
            # 曾经理明天拜访 typed on 程总's profile: whose it is, is asked.
            customers, customer_said = (customer_id, *named), said
    elif book is not None:
        customers, customer_said = book.named_in(line)
    else:
        customers, customer_said = (), ""

    past: _Cue | None = None
    upcoming: _Cue | None = None
    generic: _Cue | None = None
    later: list[_Cue] = []  # next steps after the first: one line plans one
    for cue in _cues(line, ends):
        tense = cue.tense
        if tense == "either":
            near = clause_whens.get(cue.clause, [])
            clause_text = line[bounds[cue.clause] : bounds[cue.clause + 1]]
            tense = _either_tense(cue, line, clause_text, near, said_on)
        if tense == "past" and past is None:
            past = cue
        elif tense == "next" and upcoming is None:
            upcoming = cue
        elif tense == "generic" and generic is None:
            generic = cue
        elif tense in ("next", "generic"):
            later.append(cue)
    upcoming = upcoming or generic

    claimed = _claimed_by_past(past, upcoming, clause_whens, said_on)
    logged_on: date | None = None
    if past is not None:
        logged_on = _logged_day(claimed, said_on)
    free = {clause: [w for w in items if w not in claimed] for clause, items in clause_whens.items()}
    whens_left = [w for w in whens if w not in claimed]
    next_when = _next_when(upcoming, free, whens_left, said_on)
    next_kind = upcoming.kind if upcoming is not None else None
    default_kind = False
    if next_when is not None and next_kind is None:
        next_kind, default_kind = "call", True
    next_days: tuple[date, ...] = ()
    next_times: tuple[str, ...] = ()
    next_said = ""
    if next_when is not None:
        next_days = tuple(d for d in next_when.days if d >= said_on) or (
            (said_on,) if next_when.times and not next_when.days else ()
        )
        next_times = next_when.times
        next_said = next_when.said
        if now is not None and next_days == (said_on,) and next_times:
            next_days = _not_gone(next_when, next_times, said_on, now)
    if next_when is not None and upcoming is not None:
        unread += _second_steps(later, upcoming, free, next_when, said_on, line)
    if next_kind is not None and not next_days and not any(w.problem for w in whens):
        unread.append(Unread("capture.problem.next_no_day", {"kind": next_kind}))
    if next_kind is not None and not next_days:
        next_kind = None if next_when is None else next_kind
    return Capture(
        text=text,
        said_on=said_on,
        customers=customers,
        customer_said=customer_said,
        given=customer_id if implied else None,
        logged_kind=past.kind if past is not None else None,
        logged_on=logged_on,
        next_kind=next_kind,
        next_days=next_days,
        next_said=next_said,
        next_times=next_times if next_days else (),
        next_default_kind=default_kind,
        unread=tuple(unread),
    )


def _second_steps(
    later: list[_Cue], first: _Cue, clause_whens: dict[int, list[When]], taken: When, said_on: date, line: str
) -> list[Unread]:
    """A next step in another clause with a day of its own (明天打电话，下周三上门): said, not planned."""
    found: list[Unread] = []
    seen = {first.clause}
    for cue in later:
        if cue.clause in seen:
            continue
        days = [w for w in clause_whens.get(cue.clause, []) if _planned(w, said_on) and w is not taken]
        if days and not (set(days[0].days) & set(taken.days)):
            seen.add(cue.clause)
            found.append(Unread("capture.problem.second_step", {"kind": cue.kind, "said": days[0].said}))
    return found


def _not_gone(when: When, times: tuple[str, ...], said_on: date, now: time) -> tuple[date, ...]:
    """A step today at a time already past: tomorrow, when no day was said (7点打电话 at
    23:17); when 今天 was, today or tomorrow is asked."""
    if any(at >= now.strftime("%H:%M") for at in times):
        return (said_on,)
    tomorrow = said_on + timedelta(days=1)
    return (said_on, tomorrow) if when.days else (tomorrow,)


def _claimed_by_past(
    past: _Cue | None, upcoming: _Cue | None, clause_whens: dict[int, list[When]], said_on: date
) -> list[When]:
    """The days and times said for what happened: in its clause, not in the future, or (周一见了,
    上午拜访了) read back when no next step shares the clause or they come before the contact."""
    if past is None:
        return []
    shared = upcoming is not None and upcoming.clause == past.clause
    claimed = []
    for when in clause_whens.get(past.clause, []):
        if when.problem:
            continue
        before = when.end <= past.start
        if (when.days and min(when.days) <= said_on and (not shared or before or len(when.days) == 1)) or (
            (when.back is not None or not when.days) and (not shared or before)
        ):
            claimed.append(when)
    return claimed


def _logged_day(claimed: list[When], said_on: date) -> date:
    for when in claimed:
        if when.days and min(when.days) <= said_on:
            return min(when.days)
        if when.back is not None:
            return when.back
    return said_on


def _next_when(
    upcoming: _Cue | None, clause_whens: dict[int, list[When]], whens: list[When], said_on: date
) -> When | None:
    """The day of the next step: said in its clause, else the line's one future day. Several
    days and nothing to choose between them (周三或周四): every one is a choice."""
    if upcoming is not None:
        near = [w for w in clause_whens.get(upcoming.clause, []) if _planned(w, said_on)]
        if near:
            return _choices(near)
    future = [w for w in whens if _planned(w, said_on)]
    return _choices(future) if future else None


def _planned(when: When, said_on: date) -> bool:
    return _is_future(when, said_on) or _ambiguous_now(when, said_on)


def _choices(whens: list[When]) -> When:
    if len(whens) == 1:
        return whens[0]
    days = tuple(dict.fromkeys(d for w in whens for d in w.days))
    first = whens[0]
    times = tuple(dict.fromkeys(t for w in whens for t in w.times))
    return When(first.start, whens[-1].end, "、".join(w.said for w in whens), days, times)


def _ambiguous_now(when: When, said_on: date) -> bool:
    """周三 said on a Wednesday: today or next week, a plan either way."""
    return len(when.days) > 1 and not when.problem
