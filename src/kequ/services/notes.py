"""Search what I wrote: notes, outcomes, complaints and their steps, visit write-ups, deal notes."""

from __future__ import annotations

from typing import NamedTuple

from kequ.domain.notes import NoteHit, note_terms
from kequ.storage.database import Database
from kequ.storage.fast_reads.notes import has_index, search_notes


class NoteResults(NamedTuple):
    terms: list[str]  # the words searched for, as the hits' lines mark them
    hits: list[NoteHit]  # newest written first
    indexed: bool  # False: this SQLite has no trigram index, every text was read


def find_in_notes(db: Database, query: str, limit: int = 50) -> NoteResults:
    """The texts holding every word of ``query`` (two characters or more each), newest first;
    a word too short or no word at all is a KequError saying so."""
    terms = note_terms(query)
    with db.reader() as conn:
        return NoteResults(terms, search_notes(conn, terms, limit), has_index(conn))
