"""What an agenda item comes from, as the short key stored with each touch.

``cadence:call`` (the rhythm of calls), ``date:12`` (a customer's date), ``festival:mid_autumn``,
``deal:3:10`` (day 10 after deal 3), ``complaint:5`` (an open complaint) and ``manual:7`` (a
touch the user planned, stored with the plain key ``manual``). Made and read here only.
"""

from __future__ import annotations

CADENCE, DATE, FESTIVAL, DEAL, COMPLAINT, MANUAL = "cadence", "date", "festival", "deal", "complaint", "manual"


def key(origin: str, *parts: object) -> str:
    """``key(DEAL, 3, 10)`` → ``deal:3:10``."""
    return ":".join([origin, *(str(part) for part in parts)])


def origin(source_key: str) -> str:
    """One of the origins above."""
    return source_key.split(":", 1)[0]


def reference(source_key: str) -> str:
    """What follows the origin: the rhythm's kind, the date's id, the festival's key…"""
    return source_key.split(":", 1)[1]


def last_part(source_key: str) -> str:
    """The day after a deal (``deal:3:10`` → ``10``)."""
    return source_key.rsplit(":", 1)[1]
