"""Saving, refusing and deleting the user's own templates, checked with fresh sqlite3 reads."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kequ.domain import templates
from kequ.errors import KequError
from kequ.i18n import set_language
from kequ.services.templates_store import delete_template, list_templates, list_user_templates, save_template


def _stored(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT id, occasion, disc, formality, body, builtin FROM greeting_template ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_a_saved_template_is_stored_with_any_as_null(db) -> None:
    new_id = save_template(db, "mid_autumn", "any", "", "  {称呼}，中秋快乐！\n[[感谢{company}的信任。]]  ")
    assert _stored(db.path) == [(new_id, "mid_autumn", None, None, "{称呼}，中秋快乐！\n[[感谢{company}的信任。]]", 0)]


def test_editing_changes_the_same_row(db) -> None:
    new_id = save_template(db, "birthday", "D", "formal", "{honorific}，生日快乐")
    assert save_template(db, "birthday", "S", "close", "{name}，生日快乐！", template_id=new_id) == new_id
    assert _stored(db.path) == [(new_id, "birthday", "S", "close", "{name}，生日快乐！", 0)]


@pytest.mark.parametrize(
    ("occasion", "disc", "formality", "body", "key"),
    [
        ("mid_autumn", None, None, "   \n ", "templates_ui.error.empty"),
        ("moon_party", None, None, "你好", "templates_ui.error.unknown_occasion"),
        ("mid_autumn", "X", None, "你好", "templates_ui.error.unknown_disc"),
        ("mid_autumn", None, "rude", "你好", "templates_ui.error.unknown_formality"),
        ("mid_autumn", None, None, "{boss}，中秋快乐{", "templates_ui.error.problems"),
    ],
)
def test_refusals_write_nothing(db, occasion, disc, formality, body, key) -> None:
    with pytest.raises(KequError) as caught:
        save_template(db, occasion, disc, formality, body)
    assert caught.value.key == key
    assert _stored(db.path) == []


def test_the_refusal_lists_every_problem_in_both_languages(db) -> None:
    with pytest.raises(KequError) as caught:
        save_template(db, "mid_autumn", None, None, "{boss}，中秋快乐{")
    assert "{boss}" in caught.value.message("zh") and "花括号不成对" in caught.value.message("zh")
    set_language("en")
    with pytest.raises(KequError) as caught:
        save_template(db, "mid_autumn", None, None, "{boss}")
    assert caught.value.message("en") == "The template has problems and was not saved: Unknown placeholder: {boss}"


def test_editing_a_template_that_is_gone_is_refused(db) -> None:
    with pytest.raises(KequError) as caught:
        save_template(db, "birthday", None, None, "生日快乐", template_id=999)
    assert caught.value.key == "templates_ui.error.not_found"
    assert _stored(db.path) == []


def test_delete_removes_only_that_row(db) -> None:
    keep = save_template(db, "birthday", None, None, "生日快乐")
    gone = save_template(db, "spring_festival", None, None, "新年快乐")
    delete_template(db, gone)
    assert [row[0] for row in _stored(db.path)] == [keep]
    with pytest.raises(KequError) as caught:
        delete_template(db, gone)
    assert caught.value.key == "templates_ui.error.not_found"


def test_built_in_rows_cannot_be_changed_or_deleted(db) -> None:
    conn = sqlite3.connect(db.path)
    with conn:
        conn.execute("INSERT INTO greeting_template (occasion, body, builtin) VALUES ('birthday', '生日快乐', 1)")
    conn.close()
    row_id = _stored(db.path)[0][0]
    for attempt in (
        lambda: delete_template(db, row_id),
        lambda: save_template(db, "birthday", None, None, "x", row_id),
    ):
        with pytest.raises(KequError) as caught:
            attempt()
        assert caught.value.key == "templates_ui.error.builtin"
    assert _stored(db.path) == [(row_id, "birthday", None, None, "生日快乐", 1)]


def test_the_list_has_the_built_ins_then_the_users_own(db) -> None:
    mine = save_template(db, "generic", "C", None, "{honorific}，您好")
    everything = list_templates(db)
    assert everything[: len(templates.builtins())] == list(templates.builtins())
    assert everything[-1] == templates.Template("generic", "{honorific}，您好", "C", None, None, False, mine)
    assert list_user_templates(db) == [everything[-1]]


def test_choose_prefers_the_users_template_that_fits(db) -> None:
    mine = save_template(db, "mid_autumn", None, None, "{称呼}，中秋快乐！自己写的。")
    chosen = templates.choose("mid_autumn", "D", "formal", "zh", custom=list_user_templates(db))
    assert chosen.id == mine and not chosen.builtin
    assert templates.fill(chosen.body, {"honorific": "王总"}) == "王总，中秋快乐！自己写的。"
