"""kequ.domain.templates: the built-ins are complete and read well filled or empty; choosing and filling are robust."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kequ.domain import templates as tpl
from kequ.domain.calendar.lunar import FESTIVAL_KEYS
from kequ.domain.templates import GENERIC, OCCASIONS, PLACEHOLDERS, Template, check_template, choose, fill
from kequ.domain.vocab import ONE_OFF_DATE_KINDS, Disc

SRC = Path(__file__).resolve().parents[2] / "src"
LANGS = ("zh", "en")
TYPES = [d.value for d in Disc]
CLOSE_OCCASIONS = ("birthday", "spring_festival", "mid_autumn", "dragon_boat", "new_year")
FAST = settings(max_examples=150, deadline=None, database=None)

FULL = {
    "honorific": "王总",
    "name": "王建国",
    "company": "华星科技",
    "my_name": "李明",
    "festival": "中秋节",
    "year": "2027",
    "product": "净水系统",
    "event": "您荣升总经理",
}

# Punctuation that only appears when a gap was left badly: doubled separators, a space
# before punctuation, a line starting with punctuation, empty brackets, double spaces.
BAD = re.compile(
    r"[，,、；;：:]\s*[，,。.！!？?、；;：:]"
    r"|[。.！!？?]\s*[，,。.、；;：:]"
    r"|\s[，,。.！!？?、；;：:]"
    r"|^[\s，,。.！!？?、；;：:—]"
    r"|[（(]\s*[）)]"
    r"| {2}"
    r"|\s$",
    re.M,
)


def _builtin(occasion: str, disc: str | None, formality: str, lang: str) -> Template | None:
    for t in tpl.builtins():
        if (t.occasion, t.disc, t.formality, t.lang) == (occasion, disc, formality, lang):
            return t
    return None


# ----------------------------------------------------------------- the built-ins


def test_the_occasions_are_every_festival_and_the_personal_deal_and_touch_ones() -> None:
    assert set(FESTIVAL_KEYS) <= set(OCCASIONS)
    others = {
        "call",
        "visit",
        "complaint",
        "birthday_ahead",
        "anniversary",
        "birthday",
        "birthday_mourning",
        "deal_thanks",
        "deal_call_3",
        "deal_call_10",
        "deal_call_20",
        "congratulations",
        "condolence",
    }
    assert set(OCCASIONS) - set(FESTIVAL_KEYS) == others | set(ONE_OFF_DATE_KINDS)  # one per life event
    assert len(set(OCCASIONS)) == len(OCCASIONS)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("occasion", OCCASIONS)
def test_every_occasion_has_a_formal_template_for_every_type_and_a_neutral_one(occasion: str, lang: str) -> None:
    for disc in [*TYPES, None]:
        found = _builtin(occasion, disc, "formal", lang)
        assert found is not None and found.body.strip(), (occasion, disc, lang)
        assert choose(occasion, disc, "formal", lang) is found


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("occasion", CLOSE_OCCASIONS)
def test_birthday_and_the_main_festivals_have_a_close_variant_for_every_type(occasion: str, lang: str) -> None:
    for disc in [*TYPES, None]:
        close = _builtin(occasion, disc, "close", lang)
        assert close is not None, (occasion, disc, lang)
        assert close.body != _builtin(occasion, disc, "formal", lang).body
        assert choose(occasion, disc, "close", lang) is close


def test_the_tone_differs_by_type() -> None:
    for occasion in OCCASIONS:
        for lang in LANGS:
            bodies = {_builtin(occasion, d, "formal", lang).body for d in [*TYPES, None]}
            assert len(bodies) == 5, (occasion, lang)


def test_every_builtin_passes_its_own_check_and_keeps_to_its_languages_punctuation() -> None:
    for t in tpl.builtins():
        assert check_template(t.body) == [], (t.occasion, t.disc, t.formality, t.lang)
        if t.lang == "zh":
            assert not re.search(r"[,!?;:]", t.body), t.body  # full-width punctuation in Chinese
        else:
            assert not re.search(r"[\u4e00-\u9fff，。！？；：]", t.body), t.body


def _profiles() -> list[dict[str, str]]:
    without_one = [{k: v for k, v in FULL.items() if k != gone} for gone in FULL]
    only_one = [{k: v} for k, v in FULL.items()]
    return [FULL, {}, *without_one, *only_one, {"name": "王建国"}]


def test_every_builtin_reads_well_with_a_full_a_partial_and_an_empty_profile() -> None:
    for t in tpl.builtins():
        for values in _profiles():
            out = fill(t.body, values)
            where = (t.occasion, t.disc, t.formality, t.lang, sorted(values), out)
            assert out, where
            assert not re.search(r"[{}\x00]|\[\[|\]\]", out), where
            assert not BAD.search(out), where


def test_a_full_profile_puts_the_honorific_and_the_signature_in() -> None:
    for t in tpl.builtins():
        out = fill(t.body, FULL)
        if "{honorific}" in t.body:
            assert "王总" in out, out
        if "{my_name}" in t.body:
            assert "李明" in out, out


def test_the_name_stands_in_for_a_missing_honorific() -> None:
    body = _builtin("birthday", "S", "formal", "zh").body
    assert fill(body, {"name": "王建国"}).startswith("王建国，生日快乐")


def test_condolences_are_sober_and_sell_nothing() -> None:
    for t in tpl.builtins():
        if t.occasion == "condolence":
            assert not set(tpl.placeholders(t.body)) & {"product", "company", "event"}, t.body
            assert "!" not in t.body and "！" not in t.body, t.body


def test_qingming_wishes_no_one_a_happy_day() -> None:
    for t in tpl.builtins():
        if t.occasion == "qingming":
            assert "快乐" not in t.body and "happy" not in t.body.lower(), t.body


@pytest.mark.parametrize("lang", LANGS)
def test_every_occasion_has_a_label(lang: str) -> None:
    for occasion in [*OCCASIONS, GENERIC]:
        label = tpl.occasion_label(occasion, lang)
        assert label and not label.startswith(("festival.", "template.")), occasion
    assert tpl.occasion_label("company_day", lang) == "company_day"
    assert tpl.occasion_label("mid_autumn", "zh") == "中秋节"


@pytest.mark.parametrize("lang", LANGS)
def test_every_problem_has_a_message(lang: str) -> None:
    for code in ("empty", "unknown_placeholder", "empty_placeholder", "stray_brace", "unclosed_clause"):
        assert not tpl.Problem(code, "{x}").message(lang).startswith("template.")
    assert "{x}" in tpl.Problem("unknown_placeholder", "{x}").message(lang)


# ----------------------------------------------------------------- fill


def test_values_are_put_in_literally_braces_and_markup_included() -> None:
    values = {"honorific": "{x}", "company": "[red]ACME[/red] {{y}} [[z]]"}
    assert fill("{honorific}，欢迎 {company}", values) == "{x}，欢迎 [red]ACME[/red] {{y}} [[z]]"
    assert fill("[[感谢{company}！]]", values) == "感谢[red]ACME[/red] {{y}} [[z]]！"


def test_values_lose_control_characters_and_surrounding_space() -> None:
    assert fill("{name}好", {"name": "  王\x00总\x1b[31m \n"}) == "王总[31m好"


def test_placeholders_can_be_written_in_chinese_or_with_double_braces() -> None:
    assert fill("{称呼}，{{ company }}，{ My Name }", {"honorific": "王总", "公司": "华星", "my_name": "李明"}) == (
        "王总，华星，李明"
    )
    assert fill("{honorific}", {"称呼": "王总", "honorific": "王哥"}) == "王哥"


def test_unknown_placeholders_and_stray_braces_never_reach_the_output() -> None:
    assert fill("你好{foo}，{}王总} {", {}) == "你好，王总"
    assert fill("[[{foo}这段不要，]]保留", {"foo": "x"}) == "保留"


@pytest.mark.parametrize(
    ("body", "out"),
    [
        ("{honorific}，新年快乐！", "新年快乐！"),
        ("您好，{name}，请查收。", "您好，请查收。"),
        ("Hi {name}, welcome!", "Hi, welcome!"),
        ("Dear {name} and team", "Dear and team"),
        ("祝好！——{my_name}", "祝好！"),
        ("Best wishes — {my_name}", "Best wishes"),
        ("感谢（{company}）的支持", "感谢的支持"),
        ("谢谢，{name}", "谢谢"),
        ("第一行{company}\n{honorific}，第二行", "第一行\n第二行"),
    ],
)
def test_an_empty_placeholder_outside_brackets_takes_its_dangling_punctuation_along(body: str, out: str) -> None:
    assert fill(body, {}) == out


def test_optional_parts_can_nest() -> None:
    body = "[[{honorific}[[（{company}）]]，]]你好"
    assert fill(body, {"honorific": "王总", "company": "华星"}) == "王总（华星），你好"
    assert fill(body, {"honorific": "王总"}) == "王总，你好"
    assert fill(body, {"company": "华星"}) == "你好"


def test_an_unclosed_optional_part_is_kept_as_written() -> None:
    assert fill("[[你好{name}", {"name": "王"}) == "[[你好王"
    assert fill("你好]]", {}) == "你好]]"


_BRACES = ["{", "}", "{{", "}}", "[[", "]]", "{name}", "{称呼}", "{foo}", "{}"]
_PIECES = st.sampled_from([*_BRACES, "，", ",", "。", " ", "\n", "王总", "Hi", "\x00"])


# Values from a fixed alphabet: st.text() would first build Hypothesis's Unicode table (~2 s).
_VALUES = st.text(alphabet="{}[]王 ,，x\x00\n", max_size=6)


@FAST
@given(st.lists(_PIECES, max_size=14).map("".join), st.dictionaries(st.sampled_from(PLACEHOLDERS), _VALUES))
def test_fill_never_fails_and_leaves_no_template_brace(body: str, values: dict[str, str]) -> None:
    out = fill(body, values)
    assert "\x00" not in out
    # Any brace in the output must have come from a value.
    if not any(("{" in v or "}" in v) for v in values.values()):
        assert "{" not in out and "}" not in out, (body, values, out)


# ----------------------------------------------------------------- check_template


def test_check_template_names_each_problem_where_it_is() -> None:
    problems = check_template("{称呼}好 {foo} {} {name [[x }")
    assert [(p.code, p.detail) for p in problems] == [
        ("unknown_placeholder", "{foo}"),
        ("empty_placeholder", "{}"),
        ("stray_brace", "{"),
        ("unclosed_clause", "[["),
        ("stray_brace", "}"),
    ]
    assert [p.pos for p in problems] == sorted(p.pos for p in problems)
    assert check_template("x]]")[0].code == "stray_clause_end"
    assert check_template("  ")[0].code == "empty"


@pytest.mark.parametrize("body", ["{{name}}您好", "{ 称呼 }，[[{company}的]]朋友", "no placeholders at all"])
def test_check_template_accepts_what_fill_understands(body: str) -> None:
    assert check_template(body) == []


def test_placeholders_lists_the_known_ones_in_order() -> None:
    assert tpl.placeholders("{公司}{honorific}{foo}{company}{year}") == ["company", "honorific", "year"]


# ----------------------------------------------------------------- choose


def test_choose_falls_back_from_exact_to_any_formality_to_neutral_to_generic() -> None:
    exact = choose("birthday", "D", "close", "zh")
    assert (exact.occasion, exact.disc, exact.formality) == ("birthday", "D", "close")
    other_formality = choose("lantern", "D", "close", "zh")  # no close variant for 元宵
    assert (other_formality.occasion, other_formality.disc, other_formality.formality) == ("lantern", "D", "formal")
    neutral = choose("lantern", None, "formal", "en")
    assert (neutral.disc, neutral.lang) == (None, "en")
    assert choose("lantern", "X", "formal", "en") is neutral
    generic = choose("company_day", "I", "close", "zh")
    assert (generic.occasion, generic.formality) == (GENERIC, "close")


def test_an_unknown_formality_or_language_falls_back_to_formal_chinese() -> None:
    t = choose("birthday", "S", None, "fr")
    assert (t.formality, t.lang) == ("formal", "zh")


def test_a_user_template_overrides_the_builtin_for_the_same_occasion_type_and_formality() -> None:
    mine = Template("birthday", "{称呼}生日快乐，老规矩见！", disc="D", formality="close", id=7)
    assert choose("birthday", "D", "close", "zh", [mine]) is mine
    assert choose("birthday", "D", "close", "en", [mine]) is mine  # stored without a language: sent as written
    # It is for D customers in a close relationship only.
    assert choose("birthday", "D", "formal", "zh", [mine]).builtin
    assert choose("birthday", "S", "close", "zh", [mine]).builtin


def test_a_user_template_for_every_type_beats_every_builtin_of_its_occasion() -> None:
    mine = Template("mid_autumn", "{称呼}，中秋快乐！", disc="", formality=None)
    for disc in [*TYPES, None]:
        for formality in ("formal", "close"):
            assert choose("mid_autumn", disc, formality, "zh", [mine]) is mine
    assert choose("birthday", "D", "formal", "zh", [mine]).builtin


def test_a_more_specific_user_template_beats_a_general_one() -> None:
    general = Template("birthday", "A")
    specific = Template("birthday", "B", disc="C")
    assert choose("birthday", "C", "formal", "zh", [general, specific]) is specific
    assert choose("birthday", "I", "formal", "zh", [general, specific]) is general


def test_a_user_occasion_without_builtins_uses_any_of_its_templates_before_the_generic_one() -> None:
    mine = Template("company_day", "恭喜{称呼}，司庆快乐！", disc="D", formality="close")
    assert choose("company_day", "S", "formal", "zh", [mine]) is mine


def test_a_user_template_in_another_language_is_not_used() -> None:
    english = Template("birthday", "Happy birthday {honorific}", lang="en")
    assert choose("birthday", "D", "formal", "zh", [english]).builtin


def test_render_chooses_fills_and_names_the_festival() -> None:
    mine = Template("mid_autumn", "{称呼}，{节日}快乐")
    assert tpl.render("mid_autumn", "D", "formal", "zh", {"honorific": "王总"}, [mine]) == "王总，中秋节快乐"
    assert tpl.render("mid_autumn", "D", "formal", "en", {"honorific": "Mr Wang"}, [mine]) == (
        "Mr Wang，Mid-Autumn Festival快乐"
    )
    assert tpl.render("company_day", None, "close", "zh", {"festival": "司庆"}).startswith("司庆快乐")
    assert tpl.render("birthday", "I", "close", "zh", {"honorific": "李姐"}).startswith("李姐，生日快乐")


# ----------------------------------------------------------------- layering


def test_importing_templates_loads_no_ui_and_no_database() -> None:
    code = (
        "import json, sys, kequ.domain.templates as t\n"
        "t.fill(t.choose('birthday', 'D', 'formal', 'zh').body, {})\n"
        "print(json.dumps([m for m in ('textual', 'sqlalchemy', 'sqlmodel', 'sqlite3') if m in sys.modules]))"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert json.loads(out) == []
