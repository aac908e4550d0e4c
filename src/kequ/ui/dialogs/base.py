"""What every small form over a screen shares: Escape leaves it, under one binding id.

A user who remaps Cancel (``"dialog.cancel" = "ctrl+g"`` in keys.toml) does it once, for
every dialog, instead of once for each.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from kequ.i18n import t

ResultT = TypeVar("ResultT")

CANCEL_ID = "dialog.cancel"


class Dialog(ModalScreen[ResultT]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", t("key.cancel"), id=CANCEL_ID)]
    # What leaving returns to the screen below: nothing chosen, or nothing saved.
    CANCELLED: ClassVar[object] = None

    def action_cancel(self) -> None:
        self.dismiss(self.CANCELLED)  # type: ignore[arg-type]
