"""Text that cannot act: the one guard between user data and a terminal or a file.

A name is data, never a command. Control characters would let it drive the terminal that
shows it (``ESC ] 52`` writes the clipboard, ``ESC ] 0`` retitles the window, ``ESC [ 2J``
wipes the screen; C1 ``U+009B`` is a CSI on its own for some terminals); bidi controls
make ``王总`` display as something else than what is stored; zero-width characters make
two equal-looking names differ for search and duplicate checks.

``inert_text`` is used both ways: ``validation.clean_text`` applies it to everything that
comes in, and screens, the command line and every export apply it again to what goes
out, because a database written by an earlier version may still hold such characters.

Pure: no I/O, no kequ imports (``i18n`` uses it, and everything else uses ``i18n``).
"""

from __future__ import annotations

import re

__all__ = ["INVISIBLE", "inert_text", "inert_value"]

# Bidi embeddings, overrides, isolates and marks, and the zero-width characters.
#
# They are removed, not replaced by a visible placeholder: none of them means anything in
# a customer's name or a note, a placeholder such as "�" would then be printed into every
# greeting, CSV and phone contact sent on, and removing them on display gives exactly what
# input cleaning stores today, so an old database reads as a new one would.
INVISIBLE = frozenset(
    [
        *(0x061C, 0x200E, 0x200F),  # Arabic letter mark, LRM, RLM
        *range(0x202A, 0x202F),  # LRE, RLE, PDF, LRO, RLO
        *range(0x2066, 0x206A),  # LRI, RLI, FSI, PDI
        *(0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF),  # ZWSP, ZWNJ, ZWJ, word joiner, ZWNBSP/BOM
    ]
)
_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]  # C0, DEL, C1
_REPLACEMENT = "\ufffd"

_ONE_LINE: dict[int, str | None] = {code: None for code in [*_CONTROLS, *INVISIBLE]}
# A lone surrogate cannot be written as UTF-8 at all: it shows as the replacement mark.
_ONE_LINE.update({code: _REPLACEMENT for code in range(0xD800, 0xE000)})
_MULTI_LINE = {code: value for code, value in _ONE_LINE.items() if code not in (0x09, 0x0A)}
# Finding nothing to change is a scan in C; str.translate looks every character up in a
# dict, which on a megabyte of JSON costs a tenth of a second.
_NEEDS_WORK = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\ud800-\udfff]"
)


def inert_text(value: str, *, multiline: bool = False) -> str:
    """``value`` without control, bidi or zero-width characters.

    ``multiline`` keeps line breaks and tabs (notes, messages); a carriage return goes
    either way, as it moves the cursor back over what was already shown.
    """
    if value.isprintable():  # the usual case, and fast: none of the above is printable
        return value
    if multiline and _NEEDS_WORK.search(value) is None:
        return value
    return value.translate(_MULTI_LINE if multiline else _ONE_LINE)


def inert_value(value: object, *, multiline: bool = True) -> object:
    """Every text inside a JSON-like value (lists, dicts, keys included) made inert."""
    if isinstance(value, str):
        return inert_text(value, multiline=multiline)
    if isinstance(value, list | tuple):
        return [inert_value(item, multiline=multiline) for item in value]
    if isinstance(value, dict):
        return {
            inert_value(key, multiline=multiline): inert_value(item, multiline=multiline) for key, item in value.items()
        }
    return value
