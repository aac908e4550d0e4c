"""The command palette (ctrl+p): every screen and every key of the screen in front, found
the way a Chinese salesperson types: 导入, its pinyin initials ``dr``, its pinyin ``daoru``,
or the English word ``import``."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from kequ.i18n import catalogue, language


@cache
def _texts_by_wording() -> dict[str, dict[str, str]]:
    """Each text of the catalogue, in the current language, to all its languages."""
    lang = language()
    return {texts[lang]: texts for texts in catalogue().values() if lang in texts}


@cache
def search_forms(title: str) -> tuple[str, ...]:
    """What a command may be typed as: its title, the title's pinyin (initials and full), and
    the same command's title in the other language."""
    from kequ.domain.search import pinyin_forms

    forms = [title, *pinyin_forms(title)]
    forms.extend(text for text in _texts_by_wording().get(title, {}).values() if text != title)
    return tuple(dict.fromkeys(forms))


class KequCommands(Provider):
    """The app's own commands, searched in Chinese, pinyin or English."""

    def _commands(self) -> Iterable[tuple[str, str | None, object]]:
        for command in self.app.get_system_commands(self.screen):
            yield command.title, command.help, command.callback

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = max(matcher.match(form) for form in search_forms(title))
            if score > 0:
                shown = matcher.highlight(title) if matcher.match(title) else Content(title)
                yield Hit(score, shown, callback, help=help_text)  # type: ignore[arg-type]
