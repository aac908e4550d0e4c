"""Search what I wrote: the words of a notes search, and how a hit is shown.

Pure. What is searched is kept by the database itself (schema step 7: ``note_text``, one row
per record with any text, and its FTS5 trigram index); here is what a query means (words of
two characters or more, all of them in the same text, letters in either case) and the line
a hit is shown by: the customer, the day, what was written (a call's notes, a complaint's
third step) and the words around the match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kequ.errors import KequError
from kequ.i18n import t
from kequ.inert import inert_text

MIN_CHARS = 2
# What wrote the text: the customer's own notes, a contact (notes and outcome), a complaint
# (summary and resolution), one of its steps, a trip visit's write-up, a deal's note.
SOURCES: tuple[str, ...] = ("customer", "interaction", "complaint", "complaint_step", "visit", "deal")
# The prefix that turns the Customers search into a notes search (either width).
NOTES_PREFIXES = ("#", "＃")
_SPACES = re.compile(r"\s+")


def note_terms(query: str) -> list[str]:
    """The words to find, each at least two characters, in lower case (the index folds case).

    ``交货 框架协议`` is two words, both to be found in one text. A word of one character
    would match half the book: it is refused with a line saying so.
    """
    words = [word.lower() for word in _SPACES.split(inert_text(query).strip()) if word]
    if not words:
        raise KequError("notes.empty")
    short = [word for word in words if len(word) < MIN_CHARS]
    if short:
        raise KequError("notes.too_short", word=short[0], least=MIN_CHARS)
    return list(dict.fromkeys(words))


def notes_query(text: str) -> str | None:
    """What follows the ``#`` of a notes search typed in the Customers box, or None if the
    box holds an ordinary search."""
    stripped = text.lstrip()
    for prefix in NOTES_PREFIXES:
        if stripped.startswith(prefix):
            return stripped[len(prefix) :]
    return None


def phrase(term: str) -> str:
    """The term as one FTS5 phrase: in double quotes, its own quotes doubled."""
    return '"' + term.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class NoteHit:
    """One text that holds every word searched for."""

    note_id: int
    source: str  # one of SOURCES
    ref_id: int  # the record's id in its own table
    customer_id: int
    name: str
    honorific: str
    day: date | None
    body: str
    kind: str | None = None  # a contact's kind (call, visit …)
    step: int | None = None  # a complaint step's number

    def what(self, lang: str | None = None) -> str:
        """电话记录, 投诉第 3 步, 拜访记录: what the text was written as."""
        if self.source == "interaction" and self.kind:
            return t("notes.source.interaction", lang, kind=t(f"vocab.kind.{self.kind}", lang))
        if self.source == "complaint_step":
            return t("notes.source.complaint_step", lang, step=self.step or 0)
        return t(f"notes.source.{self.source}", lang)

    def around(self, terms: list[str], width: int = 18) -> tuple[str, str, str]:
        """The line around the first match: (before, the match, after), on one line,
        at most ``width`` characters either side, cut ends marked with …"""
        return around(self.body, terms, width)

    def as_json(self, terms: list[str]) -> dict[str, object]:
        before, found, after = self.around(terms)
        return {
            "customer_id": self.customer_id,
            "customer": self.name,
            "honorific": self.honorific,
            "date": self.day.isoformat() if self.day else None,
            "source": self.source,
            "ref_id": self.ref_id,
            "kind": self.kind,
            "step": self.step,
            "what": self.what(),
            "line": before + found + after,
            "text": self.body,
        }


def around(body: str, terms: list[str], width: int = 18) -> tuple[str, str, str]:
    line = _SPACES.sub(" ", body).strip()
    folded = line.lower()
    places = [(folded.find(term), term) for term in terms if folded.find(term) >= 0]
    if not places:
        return line[: 2 * width] + ("…" if len(line) > 2 * width else ""), "", ""
    start, term = min(places)
    end = start + len(term)
    before = line[max(0, start - width) : start]
    after = line[end : end + width]
    if start > width:
        before = "…" + before
    if end + width < len(line):
        after += "…"
    return before, line[start:end], after
