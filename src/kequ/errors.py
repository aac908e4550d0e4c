"""The one exception type a user may see: it carries a translation key, not a sentence."""

from __future__ import annotations

from kequ.i18n import t


class KequError(Exception):
    """Something the user can fix. ``key`` names the text in the catalogue."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message()


def user_message(problem: BaseException) -> str | None:
    """The sentence for a refusal that carries a catalogue key (KequError, DateInputError)."""
    key = getattr(problem, "key", None)
    if not isinstance(key, str):
        return None
    return t(key, **getattr(problem, "params", {}))
