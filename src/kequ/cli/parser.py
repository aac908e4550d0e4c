"""argparse in the user's language: its own words (usage, options, help, error) come from
the catalogue, so a Chinese screen does not switch to English for the frame around it."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

from kequ.i18n import t

# argparse's own refusals, said in the catalogue's words (the rest pass through as they are).
_REFUSALS = (
    (re.compile(r"the following arguments are required: (?P<what>.+)"), "cli.parser.required"),
    (re.compile(r"unrecognized arguments: (?P<what>.+)"), "cli.parser.unknown"),
    (re.compile(r"argument (?P<what>\S+): expected one argument"), "cli.parser.needs_value"),
    (re.compile(r"argument (?P<what>\S+): not allowed with argument (?P<other>\S+)"), "cli.parser.not_with"),
    (
        re.compile(r"argument (?P<what>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"),
        "cli.parser.choice",
    ),
)


def said(message: str) -> str:
    for pattern, key in _REFUSALS:
        if match := pattern.fullmatch(message):
            return t(key, **match.groupdict())
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, t("cli.parser.usage") if prefix is None else prefix)


class KequParser(argparse.ArgumentParser):
    """The parser of kequ and of each subcommand (add_parser makes them of this class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = t("cli.parser.positionals")
        self._optionals.title = t("cli.parser.options")
        self.add_argument("-h", "--help", action="help", help=t("cli.parser.help"))

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {t('cli.error', message=said(message))}\n")
