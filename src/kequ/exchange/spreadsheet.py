"""A cell a spreadsheet will not run, and the list of tags one cell holds."""

from __future__ import annotations

import re

# What separates tags in one cell: commas of either width, 、 and semicolons (a person's
# typing), | (WeChat exporters) and " ::: " (Google Contacts).
_TAG_SEPARATORS = re.compile(r"\s*(?:,|，|、|;|；|\||:::)\s*")
_NEEDS_QUOTES = re.compile(r"[,，、;；|\"]|:::")


def neutralise(value: str) -> str:
    """A text a spreadsheet would run as a formula gets a leading ' (OWASP CSV injection)."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def join_tags(tags: list[str], separator: str) -> str:
    """Tags in one cell. A tag holding a separator (or a quote) is written in double quotes,
    a quote inside doubled, as in CSV: ``VIP，"华东,华南"`` is the two tags VIP and 华东,华南."""
    return separator.join(_quoted(tag) if _NEEDS_QUOTES.search(tag) else tag for tag in tags)


def _quoted(tag: str) -> str:
    return '"' + tag.replace('"', '""') + '"'


def split_tags(text: str) -> list[str]:
    """The tags ``join_tags`` wrote, or a person typed: quotes keep a separator inside a tag."""
    tags: list[str] = []
    rest = text.strip()
    while rest:
        if rest.startswith('"'):
            end = 1
            piece = []
            while end < len(rest):
                if rest[end] == '"':
                    if rest[end + 1 : end + 2] == '"':
                        piece.append('"')
                        end += 2
                        continue
                    break
                piece.append(rest[end])
                end += 1
            if end >= len(rest):  # no closing quote: the quote was just a character
                tags.extend(_plain_tags(rest))
                break
            tags.append("".join(piece).strip())
            rest = rest[end + 1 :]
            match = _TAG_SEPARATORS.match(rest)
            rest = rest[match.end() :] if match else rest.lstrip()
            continue
        match = _TAG_SEPARATORS.search(rest)
        if match is None:
            tags.append(rest.strip())
            break
        tags.append(rest[: match.start()].strip())
        rest = rest[match.end() :]
    return [tag for tag in tags if tag]


def _plain_tags(text: str) -> list[str]:
    return [part.strip() for part in _TAG_SEPARATORS.split(text) if part.strip()]
