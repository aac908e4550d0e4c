"""The user's own message templates: listing them beside the built-ins, saving, deleting.

Built-ins live in the package data and are never written here; "editing" one means
saving a copy of your own, which ``templates.choose`` then prefers for its fit.
"""

from __future__ import annotations

from sqlmodel import col, select

from kequ.domain.templates import GENERIC, OCCASIONS, Template, builtins, check_template
from kequ.domain.validation import MAX_NOTE, clean_text
from kequ.domain.vocab import Disc, Formality
from kequ.errors import KequError
from kequ.i18n import t
from kequ.storage.database import Database
from kequ.storage.models import GreetingTemplate
from kequ.storage.rows import add_and_number

ANY = "any"
"""What the screen and callers may pass for "every type" or "either tone"."""


def _as_template(row: GreetingTemplate) -> Template:
    return Template(row.occasion, row.body, row.disc, row.formality, None, False, row.id)


def list_user_templates(db: Database) -> list[Template]:
    """Every template the user wrote, oldest first (so the list does not jump after a save)."""
    with db.session() as session:
        rows = session.exec(
            select(GreetingTemplate)
            .where(GreetingTemplate.builtin == False)  # noqa: E712
            .order_by(col(GreetingTemplate.id))
        ).all()
    return [_as_template(row) for row in rows]


def list_templates(db: Database) -> list[Template]:
    """The built-ins (every language) followed by the user's own."""
    return [*builtins(), *list_user_templates(db)]


def _choice(value: str | None, allowed: set[str], key: str) -> str | None:
    cleaned = (value or "").strip()
    if not cleaned or cleaned.lower() == ANY:
        return None
    if cleaned not in allowed:
        raise KequError(key, value=cleaned)
    return cleaned


def save_template(
    db: Database,
    occasion: str,
    disc: str | None,
    formality: str | None,
    body: str,
    template_id: int | None = None,
) -> int:
    """Store a new template (or change the user's template ``template_id``); returns its id.

    Refuses an empty body, an occasion or type or tone it does not know, and a body that
    ``check_template`` finds fault with: a bad placeholder would silently vanish from every
    message sent with it, which the user would only notice after sending.
    """
    occasion = (occasion or "").strip()
    if occasion not in {*OCCASIONS, GENERIC}:
        raise KequError("templates_ui.error.unknown_occasion", value=occasion)
    disc = _choice(disc, {d.value for d in Disc}, "templates_ui.error.unknown_disc")
    formality = _choice(formality, {f.value for f in Formality}, "templates_ui.error.unknown_formality")
    text = clean_text(body or "", MAX_NOTE, "template")
    if not text:
        raise KequError("templates_ui.error.empty")
    problems = check_template(text)
    if problems:
        said = t("punct.clause_sep").join(p.message() for p in problems)
        raise KequError("templates_ui.error.problems", problems=said)
    with db.session() as session:
        if template_id is None:
            row = GreetingTemplate(occasion=occasion, disc=disc, formality=formality, body=text)
        else:
            found = session.get(GreetingTemplate, template_id)
            if found is None:
                raise KequError("templates_ui.error.not_found", id=template_id)
            if found.builtin:
                raise KequError("templates_ui.error.builtin")
            row = found
            row.occasion, row.disc, row.formality, row.body = occasion, disc, formality, text
        return add_and_number(session, row)


def delete_template(db: Database, template_id: int) -> None:
    """Remove one of the user's templates; built-ins cannot be deleted."""
    with db.session() as session:
        row = session.get(GreetingTemplate, template_id)
        if row is None:
            raise KequError("templates_ui.error.not_found", id=template_id)
        if row.builtin:
            raise KequError("templates_ui.error.builtin")
        session.delete(row)
