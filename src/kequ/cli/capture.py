"""``kequ note [CUSTOMER] TEXT``: one line in plain Chinese, logged and planned.

    kequ note 王总 "今天电话里说要样品，下周三上门"
    kequ note "wz 打了电话，月底再跟进" --dry-run

The customer comes first, or is found in the text. What the line cannot settle (two 王总,
周三 said on a Wednesday, 7点) is asked in a terminal and refused, with the choices, in a
script (exit 2). Only the standard library is imported here at the top.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import Any

from kequ.cli.common import JsonFlag, MakeCommand, emit_json, open_db, parse_day, warn
from kequ.errors import KequError
from kequ.i18n import t

__all__ = ["add_capture_command", "cmd_note"]


def _split(words: list[str], db: Any) -> tuple[int | None, str]:
    """(customer id or None, the text): a first word that names a customer is the customer."""
    from kequ.services.customers import resolve_customer

    if len(words) < 2:
        return None, " ".join(words)
    try:
        customer = resolve_customer(db, words[0])
    except KequError as problem:
        if problem.key != "customer.not_found":
            raise
        return None, " ".join(words)
    return customer.id, " ".join(words[1:])


def _interactive(args: argparse.Namespace) -> bool:
    return not args.json and sys.stdin.isatty() and sys.stdout.isatty()


TRIES = 3  # a wrong answer is asked again this many times in all


def _choose(question: str, options: list[str], ids: list[int] | None = None) -> int | None:
    """The index picked: the number shown in the list (1, 2, 3) or, for customers (``ids``),
    their #编号. A wrong answer asks again; Enter alone, or three wrong answers, pick nothing."""
    print(question)
    for number, option in enumerate(options, 1):
        print(f"  {number}. {option}")
    prompt = t("capture.ask.pick")
    for _ in range(TRIES):
        answer = input(prompt).strip()
        if not answer:
            return None
        number = answer.lstrip("#＃")
        if number.isdigit():
            if number == answer and 1 <= int(number) <= len(options):
                return int(number) - 1
            if ids is not None and int(number) in ids:
                return ids.index(int(number))
        prompt = t("capture.ask.pick_again", ids=t("capture.ask.pick_ids") if ids is not None else "")
    return None


def _answer(capture: Any, names: dict[int, str]) -> Any:
    """Each open question asked in the terminal; None if one is left unanswered."""
    from kequ.domain.capture.describe import day_text, questions

    for what, question in zip(capture.open_questions, questions(capture, names), strict=True):
        if what == "customer":
            options = [f"#{cid} {names.get(cid, '')}" for cid in capture.customers]
            picked = _choose(question, options, list(capture.customers))
            capture = None if picked is None else replace(capture, customers=(capture.customers[picked],))
        elif what == "day":
            options = [f"{d.isoformat()} {day_text(d, capture.said_on)}" for d in capture.next_days]
            picked = _choose(question, options)
            capture = None if picked is None else replace(capture, next_days=(capture.next_days[picked],))
        else:
            picked = _choose(question, list(capture.next_times))
            capture = None if picked is None else replace(capture, next_times=(capture.next_times[picked],))
        if capture is None:
            return None
    return capture


def cmd_note(args: argparse.Namespace) -> int:
    from kequ.domain.capture.describe import day_text, kind_text, nobody_text, preview, questions, unread_text
    from kequ.services.capture import line_reader, save_capture
    from kequ.storage import clock

    today = clock.today()
    # The day the line was said: read as log's --date is, never a day still to come.
    said_on = parse_day(args.date, past=True) if args.date else today
    relative = said_on == today
    if not " ".join(args.words).strip():
        raise KequError("capture.empty")
    if args.dry_run:  # writes nothing, not even today's automatic copy
        from kequ.storage.database import open_database

        db = open_database(args.db, daily_backup=False)
    else:
        db = open_db(args)
    customer_id, text = _split(args.words, db)
    if not text.strip():
        raise KequError("capture.empty")
    reader = line_reader(db)
    now = clock.local_now().time() if relative else None
    capture = reader.read(text, said_on, customer_id, now)
    if not capture.customers:
        raise KequError("capture.questions", questions=nobody_text(text, reader.book, reader.names))
    if capture.logged_on is not None and capture.logged_on > today:
        raise KequError("log.future")  # as kequ log: what happened cannot be in the future
    if capture.open_questions:
        answered = _answer(capture, reader.names) if _interactive(args) else None
        if answered is None:
            raise KequError("capture.questions", questions=" ".join(questions(capture, reader.names)))
        capture = answered
    if capture.unread:
        what = t("capture.preview.list_sep").join(unread_text(u) for u in capture.unread)
        warn(t("capture.cli.unread_dry" if args.dry_run else "capture.cli.unread", what=what))
    if args.dry_run:
        if args.json:
            emit_json(capture.as_json())
        else:
            print(t("capture.cli.dry_run", preview=preview(capture, reader.names, today=today)))
        return 0
    saved = save_capture(db, capture)
    if args.json:
        emit_json(saved.capture.as_json())
        return 0
    done = saved.capture
    who = reader.names.get(done.customer_id or 0, "")
    if done.logged_kind is not None and done.logged_on is not None:
        print(
            t(
                "capture.cli.logged",
                kind=kind_text(done.logged_kind),
                who=who,
                day=day_text(done.logged_on, today, relative=relative),
            )
        )
    if saved.touch_id is not None and done.next_kind is not None and done.next_day is not None:
        time = f" {done.next_time}" if done.next_time else ""
        line = t(
            "capture.cli.planned",
            kind=kind_text(done.next_kind),
            who=who,
            day=day_text(done.next_day, today, relative=relative),
            time=time,
        )
        if capture.next_day != done.next_day and capture.next_day is not None:
            line += t("capture.cli.moved", asked=day_text(capture.next_day, today, relative=relative))
        print(line)
    if saved.added_to_notes:
        print(t("capture.cli.noted", who=who))
    return 0


def add_capture_command(command: MakeCommand, json_flag: JsonFlag) -> None:
    """Add ``note`` to the ``kequ`` parser."""
    p = command("note", cmd_note)
    p.add_argument("words", metavar="[CUSTOMER] TEXT", nargs="+", help=t("cli.help.capture.text"))
    p.add_argument("--date", metavar="YYYY-MM-DD", help=t("cli.help.capture.date"))
    p.add_argument("--dry-run", action="store_true", help=t("cli.help.capture.dry_run"))
    json_flag(p)
