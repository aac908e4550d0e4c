"""kequ.domain.disc: the classifier over every combination of answers, and the playbook data walked in full."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kequ.domain import disc
from kequ.domain.disc import MIN_ANSWERS, QUESTIONS, classify
from kequ.domain.vocab import Disc, Ladder, RelationType, TouchKind
from kequ.i18n import t

SRC = Path(__file__).resolve().parents[2] / "src"
LANGS = ("zh", "en")
CJK = re.compile(r"[\u4e00-\u9fff]")

# ----------------------------------------------------------------- classifier

# Written out here rather than read from kequ.domain.disc, so the test checks the module against the
# rule instead of against itself: which DISC letters each observation points to.
LETTERS = {
    ("lead", "leads"): "DI",
    ("lead", "follows"): "SC",
    ("pace", "fast"): "DI",
    ("pace", "slow"): "SC",
    ("focus", "task"): "DC",
    ("focus", "people"): "IS",
    ("opening", "task"): "DC",
    ("opening", "people"): "IS",
    ("speech", "direct"): "D",
    ("speech", "lively"): "I",
    ("speech", "precise"): "C",
    ("speech", "calm"): "S",
    ("wants", "results"): "D",
    ("wants", "recognition"): "I",
    ("wants", "proof"): "C",
    ("wants", "assurance"): "S",
}


def expected_type(answers: dict[str, str | None]) -> str | None:
    """The axis rule: fast (D/I) against steady (S/C), task (D/C) against people (I/S)."""
    given = [LETTERS[(q, a)] for q, a in answers.items() if a]
    if len(given) < MIN_ANSWERS:
        return None
    pace = sum(1 if set(x) <= set("DI") else -1 if set(x) <= set("SC") else 0 for x in given)
    focus = sum(1 if set(x) <= set("DC") else -1 if set(x) <= set("IS") else 0 for x in given)
    if pace == 0 or focus == 0:
        return None
    return {(True, True): "D", (True, False): "I", (False, True): "C", (False, False): "S"}[(pace > 0, focus > 0)]


def all_combinations() -> list[dict[str, str | None]]:
    options = [[None, *(a.key for a in q.answers)] for q in QUESTIONS]
    keys = [q.key for q in QUESTIONS]
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*options)]


def test_the_questionnaire_is_what_the_rule_above_describes() -> None:
    assert 4 <= len(QUESTIONS) <= 6
    assert {(q.key, a.key) for q in QUESTIONS for a in q.answers} == set(LETTERS)


def test_every_combination_of_answers_gives_the_type_the_axis_rule_gives() -> None:
    combos = all_combinations()
    assert len(combos) == 3**4 * 5**2
    seen: set[str | None] = set()
    for answers in combos:
        result = classify(answers)
        want = expected_type(answers)
        assert (result.type.value if result.type else None) == want, answers
        assert result.answered == sum(1 for a in answers.values() if a)
        seen.add(want)
    assert seen == {"D", "I", "S", "C", None}


def test_every_combination_explains_itself_in_both_languages() -> None:
    for answers in all_combinations():
        result = classify(answers)
        keys = [r.key for r in result.reasons]
        # One line per observation, then the verdict or why there is none.
        assert len(keys) >= result.answered + 1
        if result.type is None:
            assert keys[-1] == "disc.reason.no_type"
            assert any(k == "disc.reason.too_few" or k.startswith("disc.reason.undecided.") for k in keys)
        else:
            assert keys[-1] == "disc.reason.result"
            assert result.reasons[-1].params["letter"] == result.type.value
        for lang in LANGS:
            for line in result.reason_lines(lang):
                assert line and not line.startswith(("disc.", "vocab.")), (answers, line)
                assert "{" not in line and "}" not in line, line


def test_a_clear_driver_reads_like_the_playbook() -> None:
    result = classify({"pace": "fast", "focus": "task"})
    assert result.type is Disc.D
    assert result.scores == {"fast": 1, "slow": 0, "task": 1, "people": 0}
    zh = result.reason_lines("zh")
    assert zh[0] == "决策快 → 节奏快"
    assert zh[1] == "谈事情 → 任务导向"
    assert zh[-1].endswith("⇒ 力量型（D）")
    assert result.reason_lines("en")[-1].endswith("⇒ Driver (D)")


def test_too_few_answers_and_ties_give_no_type_and_say_so() -> None:
    one = classify({"speech": "direct"})
    assert one.type is None
    assert "1" in one.reason_lines("zh")[1] and str(MIN_ANSWERS) in one.reason_lines("zh")[1]

    tie = classify({"pace": "fast", "lead": "follows", "focus": "task", "opening": "task"})
    assert tie.type is None and tie.pace == 0 and tie.focus == 2
    assert any(r.key == "disc.reason.undecided.pace" for r in tie.reasons)
    assert not any(r.key == "disc.reason.undecided.focus" for r in tie.reasons)


def test_unanswered_values_are_skipped_and_order_does_not_matter() -> None:
    a = classify({"wants": "proof", "speech": "precise", "pace": "", "lead": None})
    b = classify({"speech": "precise", "wants": "proof"})
    assert a.type is b.type is Disc.C
    assert a.reasons == b.reasons
    assert classify({}).type is None


@pytest.mark.parametrize("answers", [{"mood": "fast"}, {"pace": "medium"}])
def test_an_unknown_question_or_answer_is_a_programming_error(answers: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        classify(answers)


def test_questions_and_answers_have_labels_in_both_languages() -> None:
    for q in QUESTIONS:
        for lang in LANGS:
            assert not q.prompt(lang).startswith("disc.")
            for a in q.answers:
                assert not a.label(lang).startswith("disc.")
                assert not t(f"disc.observed.{q.key}.{a.key}", lang).startswith("disc.")


# ----------------------------------------------------------------- the playbook data


def _assert_text(text: str, lang: str, where: str) -> None:
    assert text.strip(), where
    if lang == "zh":
        assert CJK.search(text), f"{where}: no Chinese in the zh text"
    else:
        assert not CJK.search(text), f"{where}: Chinese in the en text"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", [k.value for k in TouchKind])
@pytest.mark.parametrize("who", [d.value for d in Disc] + [None])
def test_every_type_has_an_approach_for_every_touch_kind(who: str | None, kind: str, lang: str) -> None:
    short = disc.approach(who, kind, lang)
    full = disc.approach(who, kind, lang, full=True)
    _assert_text(short, lang, f"{who}.{kind}.short")
    _assert_text(full, lang, f"{who}.{kind}.full")
    assert "\n" not in short and len(short) < len(full)
    # "Two to four sentences": counted by the full stops of each language.
    sentences = len(re.findall(r"[。！？]", full)) if lang == "zh" else len(re.findall(r"[.!?](?:\s|$)", full))
    assert 2 <= sentences <= 4, (who, kind, lang, full)


@pytest.mark.parametrize("lang", LANGS)
def test_every_type_profile_is_complete_and_named_like_the_catalogue(lang: str) -> None:
    profiles = disc.types()
    assert list(profiles) == [d.value for d in Disc]
    for key, p in profiles.items():
        assert p.name.get(lang) == t(f"vocab.disc.{key}", lang)
        for part in (p.motto, p.recognise, p.approach, p.avoid):
            _assert_text(part.get(lang), lang, key)
    mottos = {k: p.motto.zh for k, p in profiles.items()}
    assert mottos == {"D": "一起行动", "I": "一起快乐", "S": "一起放松", "C": "一起统筹"}


def test_an_unknown_type_gets_the_listen_first_advice() -> None:
    assert disc.type_profile(None).key == disc.UNKNOWN
    assert disc.type_profile("X").key == disc.UNKNOWN
    assert disc.type_profile("").key == disc.UNKNOWN
    assert disc.type_profile(" d ").key == "D"
    assert disc.approach(None, "call", "zh").startswith("性格未知")
    assert disc.approach("x", "call", "en").startswith("Type unknown")


def test_a_kind_without_advice_falls_back_to_the_core_approach() -> None:
    assert disc.approach("C", "fax", "en") == disc.types()["C"].approach.en
    assert disc.approach("C", TouchKind.EMAIL, "en") == disc.approach("C", "email", "en")


def test_every_lang_other_than_english_reads_chinese() -> None:
    assert disc.approach("S", "gift", "fr") == disc.approach("S", "gift", "zh")


TAG_NAMES = {
    "moody": "情绪易变",
    "sarcastic": "刻薄",
    "suspicious": "疑心",
    "picky": "挑剔",
    "defensive": "自我防卫",
    "superficial": "表面热心",
    "indifferent": "事不关己",
    "opinion_led": "注视舆论",
    "deliberate": "深思熟虑",
}


def test_the_tags_are_the_playbooks_nine_with_stable_keys() -> None:
    tags = disc.tags()
    assert {k: v.name.zh for k, v in tags.items()} == TAG_NAMES
    assert {k for k, v in tags.items() if v.group == "problem"} == {"moody", "sarcastic", "suspicious", "picky"}
    assert {v.group for v in tags.values()} == set(disc.TAG_GROUPS)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("tag", sorted(TAG_NAMES))
def test_every_tag_has_an_approach_for_every_touch_kind(tag: str, lang: str) -> None:
    profile = disc.tags()[tag]
    _assert_text(profile.recognise.get(lang), lang, tag)
    general = disc.tag_approach(tag, lang)
    _assert_text(general, lang, tag)
    assert len(general) < len(disc.tag_approach(tag, lang, full=True))
    for kind in TouchKind:
        for full in (False, True):
            text = disc.tag_approach(tag, lang, full=full, kind=kind.value)
            _assert_text(text, lang, f"{tag}.{kind}")
    # Where a tag has its own advice for a kind, that advice is what the kind gets.
    for kind, advice in profile.touch.items():
        assert disc.tag_approach(tag, lang, kind=kind) == advice.short.get(lang)


def test_tags_are_found_by_key_or_by_name_in_either_language() -> None:
    assert disc.tag_key("疑心") == "suspicious"
    assert disc.tag_key(" Opinion-watching ") == "opinion_led"
    assert disc.tag_key("PICKY") == "picky"
    assert disc.tag_key("VIP") is None
    assert disc.tag_key("") is None
    assert disc.tag_approach("挑剔", "zh") == disc.tag_approach("picky", "zh")
    with pytest.raises(ValueError):
        disc.tag_approach("VIP", "zh")


@pytest.mark.parametrize("lang", LANGS)
def test_every_ladder_step_has_a_hint_and_the_ladder_is_in_order(lang: str) -> None:
    steps = disc.ladder()
    assert [s.key for s in steps] == [s.value for s in Ladder]
    assert [s.name.zh for s in steps] == ["相识", "相知", "尊重", "友谊", "信任", "忠诚"]
    for step in Ladder:
        _assert_text(disc.ladder_hint(step.value, lang), lang, step.value)
    assert disc.next_step("acquainted") == "understood"
    assert disc.next_step("loyalty") is None
    # The last step's hint is about keeping it, the others about the next step.
    assert disc.ladder_hint("loyalty", "zh").startswith("保持")
    with pytest.raises(ValueError):
        disc.ladder_hint("soulmates", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_every_relationship_type_has_advice(lang: str) -> None:
    names = {k: v.name.zh for k, v in disc.relations().items()}
    assert names == {"family": "亲人型", "friend": "朋友型", "adviser": "顾问型", "star": "明星型"}
    for rel in RelationType:
        _assert_text(disc.relation_advice(rel.value, lang), lang, rel.value)
        _assert_text(disc.relations()[rel.value].what.get(lang), lang, rel.value)
    with pytest.raises(ValueError):
        disc.relation_advice("enemy", lang)


def test_taboos_and_gift_principles_cover_the_playbook() -> None:
    assert [p.key for p in disc.taboos()] == ["pushing", "flattery", "unstable"]
    assert [p.key for p in disc.gift_principles()] == ["small", "practical", "related", "fresh", "never_twice"]
    for p in (*disc.taboos(), *disc.gift_principles()):
        for lang in LANGS:
            _assert_text(p.title.get(lang), lang, p.key)
            _assert_text(p.text.get(lang), lang, p.key)


def test_the_playbook_stays_professional() -> None:
    """kequ teaches relationship care, not kickbacks or drinking culture."""
    data = "".join(
        (SRC / "kequ" / "playbook" / name).read_text(encoding="utf-8")
        for name in ("types.toml", "tags.toml", "relations.toml", "taboos.toml", "templates.toml")
    ).lower()
    for word in ("回扣", "好处费", "红包给", "喝酒", "干杯", "酒桌", "陪酒", "kickback", "bribe", "drink", "toast"):
        assert word not in data, word


# ----------------------------------------------------------------- layering


def test_importing_disc_loads_no_ui_and_no_database() -> None:
    code = (
        "import json, sys, kequ.domain.disc as d\n"
        "d.approach('D', 'call', 'zh'); d.classify({'pace': 'fast', 'focus': 'task'})\n"
        "print(json.dumps([m for m in ('textual', 'sqlalchemy', 'sqlmodel', 'sqlite3') if m in sys.modules]))"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert json.loads(out) == []
