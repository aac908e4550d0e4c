"""Reading and changing the user's settings (kequ.domain.settings says which there are)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from kequ.domain.settings import check, spec_for
from kequ.storage.database import Database
from kequ.storage.fast_reads.settings import read_settings


class Me(NamedTuple):
    """Who signs the messages kequ fills in."""

    name: str = ""
    signature: str = ""


def all_settings(db: Database) -> dict[str, object]:
    """Every setting's value: what the user set where it is valid, else the default."""
    with db.reader() as conn:
        return read_settings(conn)


def get_setting(db: Database, key: str) -> object:
    spec = spec_for(key)
    return all_settings(db)[spec.key]


def me(db: Database) -> Me:
    values = all_settings(db)
    return Me(str(values["my_name"]), str(values["my_signature"]))


def save_settings(db: Database, changes: Mapping[str, object]) -> dict[str, object]:
    """Check every change, then store them all in one go; a refusal stores none of them.

    A value is what a person types (``"关键,潜力"``, ``"20"``) or the value itself (a list, a
    number). Returns the values stored, by key.
    """
    from kequ.storage.models import Setting

    checked: dict[str, object] = {}
    for key, value in changes.items():
        spec = spec_for(key)
        checked[spec.key] = check(spec, value)
    with db.session() as session:
        for key, value in checked.items():
            row = session.get(Setting, key) or Setting(key=key)
            row.value = list(value) if isinstance(value, tuple) else value  # type: ignore[assignment]
            session.add(row)
    return checked


def set_setting(db: Database, key: str, value: object) -> object:
    """One setting changed; returns the value as stored."""
    spec = spec_for(key)
    return save_settings(db, {spec.key: value})[spec.key]
