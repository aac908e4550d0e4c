"""The footer of every screen: Textual's, drawn again only when the keys it shows change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KequFooter(Footer):
    """Textual's footer builds its keys again each time the screen says its bindings may have
    changed (focus moving, a worker ending, a check_action to ask again), four to six times
    while a screen opens, and each time it mounts and styles every key anew. Most of those
    times the same keys would come back: this footer then keeps the ones it shows."""

    def __init__(self) -> None:
        super().__init__()
        self._drawn: object = None
        # Textual's footer draws no key until the screen first says its bindings changed,
        # then mounts them all a frame later, and the screen is laid out and drawn again:
        # here the keys are drawn with the screen, from the bindings it has then. When the
        # focus settles, the same keys are kept unless what is shown differs.
        self.set_reactive(Footer._bindings_ready, True)

    def _what_it_shows(self) -> object:
        """Everything the footer's keys are built from: the screen's bindings (the palette's
        too) as the user's keymap displays them, and whether each is shown and enabled."""
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING
        return (
            self._bindings_ready,
            self.show_command_palette,
            self.combine_groups,
            app.ENABLE_COMMAND_PALETTE,
            tuple(
                (key, *_drawn_from(binding), app.get_key_display(binding), enabled, tooltip)
                for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
                if binding.show or key == palette
            ),
        )

    async def recompose(self) -> None:
        if self.is_attached and not self._pruning:
            shown = self._what_it_shows()
            if shown == self._drawn:
                return
            self._drawn = shown
        await super().recompose()

    def compose(self) -> ComposeResult:
        """Textual's keys, each made with the footer's compactness from the start.

        A key starts compact and is told the footer's value once mounted (``data_bind``):
        on a footer that is not compact each key got the class "-compact" as it mounted and
        lost it right after, each time styled again, twice for every key of every screen
        opened. Given the value before it mounts, a key is styled once; ``data_bind`` still
        follows a change of the footer's compactness. The palette's key (^p) is not bound to
        it and stays compact, as Textual makes it."""
        if self.is_attached:
            self._drawn = self._what_it_shows()
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget


def _drawn_from(binding: Binding) -> tuple[object, ...]:
    return binding.key, binding.description, binding.action, binding.show, binding.tooltip, binding.group
