"""Search keys and the as-you-type index, on real Chinese names, companies and phones."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kequ.domain.search import Candidate, SearchIndex, normalise_query, search_keys

SRC = Path(__file__).resolve().parents[2] / "src"

# id: (name, honorific, company, phones, wechat, email, city, tags, weight)
BOOK: dict[int, tuple[str, str, str, tuple[str, ...], str, str, str, tuple[str, ...], int]] = {
    1: (
        "王建国",
        "王总",
        "杭州远航贸易有限公司",
        ("138-0013-8000",),
        "WX_WangJG",
        "wjg@yuanhang.cn",
        "杭州",
        ("老客户",),
        0,
    ),
    2: ("李明", "李经理", "汪正机电设备有限公司", ("139 1234 5678",), "", "", "无锡", (), 0),
    3: (
        "曾志强",
        "曾经理",
        "苏州恒瑞精密机械有限公司",
        ("0512-6688-1234",),
        "zengzq",
        "",
        "苏州",
        ("VIP", "决策人"),
        0,
    ),
    4: ("单丽娟", "单先生", "宁波海天塑业有限公司", (), "", "", "宁波", (), 0),
    5: ("解海燕", "解总", "", (), "", "", "上海", (), 0),
    6: ("区振华", "区总", "广州区氏五金有限公司", (), "", "", "广州", (), 0),
    7: ("王婷", "小王", "南京华联商贸有限公司", ("+86 186 0000 1111",), "", "", "南京", (), 0),
    8: ("刘德明", "老刘", "", (), "", "", "成都", ("钓鱼",), 0),
}


def keys_of(cid: int) -> str:
    name, honorific, company, phones, wechat, email, city, tags, _weight = BOOK[cid]
    return search_keys(name, honorific, company, phones, wechat, email, city, tags)


def candidate(cid: int) -> Candidate:
    return Candidate(cid, keys_of(cid), BOOK[cid][0], BOOK[cid][-1])  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def index_factory():
    made = {cid: candidate(cid) for cid in BOOK}
    return lambda: SearchIndex(made.values())


@pytest.fixture
def index(index_factory) -> SearchIndex:
    return index_factory()


def person(cid: int, name: str, honorific: str = "", company: str = "", weight: int = 0, **kw: object) -> Candidate:
    return Candidate(cid, search_keys(name, honorific, company, **kw), name, weight)  # type: ignore[arg-type]


class TestPinyinAndInitials:
    @pytest.mark.parametrize("query", ["wz", "wangzong", "王总", "WZ", "wangz", "wzong", "wjg", "wangjianguo"])
    def test_wang_zong_is_found_first(self, index: SearchIndex, query: str) -> None:
        assert index.search(query)[0] == 1

    def test_honorific_ranks_above_a_company_with_the_same_initials(self, index: SearchIndex) -> None:
        found = index.search("wz")
        # 汪正机电 (customer 2) matches only through its company's pinyin.
        assert 2 in found
        assert found.index(1) < found.index(2)

    @pytest.mark.parametrize("query", ["zjl", "cjl", "zengjingli", "cengjingli", "曾经理", "zengj"])
    def test_polyphonic_zeng_is_found_by_both_readings(self, index: SearchIndex, query: str) -> None:
        assert index.search(query)[0] == 3

    @pytest.mark.parametrize("query", ["shan", "dan", "shanxiansheng", "sxs", "dxs", "slijuan"])
    def test_shan_surname_reading_and_everyday_dan(self, index: SearchIndex, query: str) -> None:
        assert index.search(query)[0] == 4

    @pytest.mark.parametrize("query", ["xie", "xiezong", "xz", "jie", "xiehaiyan"])
    def test_xie_surname(self, index: SearchIndex, query: str) -> None:
        assert index.search(query)[0] == 5

    @pytest.mark.parametrize("query", ["ou", "ouzong", "oz", "ouzh", "qu"])
    def test_ou_surname(self, index: SearchIndex, query: str) -> None:
        assert index.search(query)[0] == 6

    @pytest.mark.parametrize("query", ["xw", "xiaowang", "xwang", "小王", "wang", "wangt"])
    def test_xiao_wang_by_initials_full_pinyin_and_surname_alone(self, index: SearchIndex, query: str) -> None:
        assert 7 in index.search(query)

    def test_lao_liu_by_surname_alone(self, index: SearchIndex) -> None:
        assert index.search("liu")[0] == 8
        assert index.search("laoliu")[0] == 8

    @pytest.mark.parametrize(
        ("text", "surname", "everyday"),
        [
            ("曾经理", "zengjingli", "cengjingli"),
            ("单先生", "shanxiansheng", "danxiansheng"),
            ("仇总", "qiuzong", "chouzong"),
            ("解总", "xiezong", "jiezong"),
            ("区总", "ouzong", "quzong"),
            ("查经理", "zhajingli", "chajingli"),
            ("乐总", "yuezong", "lezong"),
            ("缪总", "miaozong", "mouzong"),
            ("朴总", "piaozong", "puzong"),
            ("盖总", "gezong", "gaizong"),
            ("翟总", "zhaizong", "dizong"),
            ("覃总", "qinzong", "tanzong"),
            ("召总", "shaozong", "zhaozong"),
            ("阚总", "kanzong", "hanzong"),
            ("老单", "laoshan", "laodan"),
            ("小曾", "xiaozeng", "xiaoceng"),
            ("尉迟恭", "yuchigong", "yuchigong"),
            ("万俟总", "moqizong", "moqizong"),
            ("长孙总", "zhangsunzong", "zhangsunzong"),
        ],
    )
    def test_surname_table_indexes_both_readings(self, text: str, surname: str, everyday: str) -> None:
        index = SearchIndex([person(1, text)])
        assert index.search(surname) == [1]
        assert index.search(everyday) == [1]

    def test_given_name_in_pinyin_and_chinese(self, index: SearchIndex) -> None:
        assert index.search("jianguo") == [1]
        assert index.search("建国") == [1]

    def test_latin_names_get_initials_per_word(self) -> None:
        index = SearchIndex([person(1, "John Smith"), person(2, "Johnny")])
        assert index.search("js") == [1]
        assert index.search("john smith") == [1]
        assert index.search("JOHN") == [2, 1]  # both start with it: johnny sorts before johnsmith

    def test_lv_and_lu_both_find_lv(self) -> None:
        index = SearchIndex([person(1, "吕强")])
        assert index.search("lvq") == [1]
        assert index.search("luqiang") == [1]


class TestOtherFields:
    @pytest.mark.parametrize("query", ["恒瑞", "苏州恒瑞", "hengrui", "szhr", "恒瑞精密"])
    def test_company_substring_pinyin_and_initials(self, index: SearchIndex, query: str) -> None:
        assert index.search(query) == [3]

    @pytest.mark.parametrize("query", ["13800", "138-0013", "138 0013 8000", "１３８００", "0013-8"])
    def test_phone_digits_ignore_separators(self, index: SearchIndex, query: str) -> None:
        assert index.search(query) == [1]

    def test_international_prefix_is_only_more_digits(self, index: SearchIndex) -> None:
        assert index.search("18600001111") == [7]
        assert index.search("+86 186") == [7]

    @pytest.mark.parametrize("query", ["wx_wangjg", "WX_WANGJG", "wx_w", "Wx_WangJG"])
    def test_wechat_case_insensitive(self, index: SearchIndex, query: str) -> None:
        assert index.search(query) == [1]

    def test_email(self, index: SearchIndex) -> None:
        assert index.search("wjg@yuanhang") == [1]

    @pytest.mark.parametrize(("query", "cid"), [("老客户", 1), ("laokehu", 1), ("lkh", 1), ("vip", 3), ("钓鱼", 8)])
    def test_tags(self, index: SearchIndex, query: str, cid: int) -> None:
        assert index.search(query) == [cid]

    @pytest.mark.parametrize("query", ["苏州", "suzhou", "SuZhou", "su zhou"])
    def test_city(self, index: SearchIndex, query: str) -> None:
        assert index.search(query) == [3]

    def test_notes_are_not_indexed(self) -> None:
        assert "notes" not in inspect.signature(search_keys).parameters
        with pytest.raises(TypeError):
            search_keys("王建国", notes="聊" * 100_000)  # type: ignore[call-arg]
        keys = search_keys(
            "王建国", "王总", "杭州远航贸易有限公司", ["13800138000"], "wx", "a@b.cn", "杭州", ["老客户"]
        )
        assert len(keys) < 400


class TestQueries:
    def test_blank_query_returns_everyone_weight_first_then_name_in_pinyin_order(self) -> None:
        people = [
            person(1, "张伟"),
            person(2, "李娜", weight=3),
            person(3, "安琪"),
            person(4, "王芳", weight=3),
            person(5, "曾志强"),  # sorts by its surname reading: zeng before zhang
        ]
        index = SearchIndex(people)
        expected = [2, 4, 3, 5, 1]
        assert index.search("") == expected
        assert index.search("   ") == expected
        assert index.search("\u3000") == expected
        assert index.search("", limit=2) == [2, 4]

    def test_full_width_query(self, index: SearchIndex) -> None:
        assert index.search("ｗｚ")[0] == 1
        assert index.search("ＷＡＮＧＺＯＮＧ")[0] == 1

    def test_spaces_inside_latin_queries_are_ignored(self, index: SearchIndex) -> None:
        assert index.search("wang zong")[0] == 1
        assert index.search(" z j l ")[0] == 3

    def test_normalise_query(self) -> None:
        assert normalise_query(" ＡＢＣ ") == "abc"
        assert normalise_query("138-0013 8000") == "13800138000"
        assert normalise_query("a-b@x.cn") == "a-b@x.cn"
        assert normalise_query("王\x00总\u200b") == "王总"

    def test_no_match(self, index: SearchIndex) -> None:
        assert index.search("qqqqq") == []
        assert index.search("不存在的公司") == []

    def test_limit(self, index: SearchIndex) -> None:
        everyone = index.search("")
        assert index.search("", limit=3) == everyone[:3]
        assert index.search("w", limit=1) == index.search("w")[:1]
        assert index.search("w", limit=0) == []

    @pytest.mark.parametrize(
        "name",
        ["王😀总", "🎉", "张\x00三", "李\x1f四\x1c", "\u200d\u200b", "赵\r\n六", "\ud800孙", "A\x02k1", "ｌｅｅ"],
    )
    def test_emoji_and_control_characters_do_not_crash(self, name: str) -> None:
        keys = search_keys(name, name, name, [name], name, name, name, [name])
        index = SearchIndex([Candidate(1, keys, name), person(2, "王总")])
        for query in (name, "王", "w", "\x1c", "\x1d", "\x1f", "\x1b", "\x02k1", "😀"):
            index.search(query)

    def test_control_characters_cannot_forge_separators(self) -> None:
        index = SearchIndex([person(1, "王\x1c\x1d总")])
        assert index.search("王总") == [1]
        assert index.search("\x1c\x1d") == [1]  # nothing left after cleaning: everyone


class TestRanking:
    def test_rank_order_chinese(self) -> None:
        index = SearchIndex(
            [
                person(1, "王氏集团联系人", company="王氏集团"),  # written prefix of the name
                person(2, "陈晓", company="王氏集团"),  # company only
                person(3, "王婷", "小王"),  # written prefix of the name
                person(4, "李强", "老王"),  # inside the 称呼
                person(5, "王"),  # the whole name
            ]
        )
        found = index.search("王")
        assert found[0] == 5
        assert set(found[1:3]) == {1, 3}
        assert found[3:] == [4, 2]

    def test_rank_order_pinyin(self) -> None:
        index = SearchIndex(
            [
                person(1, "陈晓", company="王氏集团"),  # company pinyin
                person(2, "李强", "老王"),  # surname alone after 老: a pinyin prefix
                person(3, "Wang Lei"),  # written prefix
                person(4, "汪洋"),  # pinyin prefix
                person(5, "黄王华"),  # inside the name's pinyin
                person(6, "王"),  # exact in pinyin
            ]
        )
        found = index.search("wang")
        assert found[0] == 6
        assert found[1] == 3
        assert set(found[2:4]) == {2, 4}
        assert found[4:] == [5, 1]

    def test_exact_initials_beat_longer_initials(self) -> None:
        index = SearchIndex([person(1, "王志刚"), person(2, "王总")])
        assert index.search("wz") == [2, 1]

    def test_one_character_queries_rank_like_longer_ones(self) -> None:
        index = SearchIndex(
            [
                person(1, "陈晓", "小陈"),  # x starts 小陈's pinyin: prefix
                person(2, "刘欣"),  # x starts a later syllable: inside
                person(3, "X"),  # the whole name
                person(4, "周强", company="厦门宏达"),  # company only
                person(5, "Xavier"),  # written prefix
            ]
        )
        assert index.search("x") == [3, 5, 1, 2, 4]
        assert index.search("Ｘ") == [3, 5, 1, 2, 4]

    def test_surname_alone_after_xiao_is_never_an_exact_match(self) -> None:
        index = SearchIndex([person(1, "小A"), person(2, "A"), person(3, "小王"), person(4, "王")])
        assert index.search("a")[:2] == [2, 1]  # then 王 and 小王, whose pinyin holds an a
        assert index.search("wang") == [4, 3]
        assert index.search("王") == [4, 3]

    def test_mixed_latin_and_chinese_name(self) -> None:
        index = SearchIndex([person(1, "John王"), person(2, "王五")])
        assert index.search("john") == [1]
        assert index.search("jw") == [1]
        assert index.search("john王") == [1]
        assert index.search("王") == [2, 1]

    def test_weight_breaks_ties_then_name(self) -> None:
        index = SearchIndex(
            [
                person(1, "王五", "王总", weight=0),
                person(2, "王六", "王总", weight=3),
                person(3, "汪七", "汪总", weight=0),
            ]
        )
        assert index.search("wz") == [2, 3, 1]  # 汪七 wangqi before 王五 wangwu

    def test_identical_names_keep_a_stable_order(self) -> None:
        index = SearchIndex([person(3, "王伟"), person(1, "王伟"), person(2, "王伟")])
        assert index.search("王伟") == [1, 2, 3]
        assert index.search("ww") == [1, 2, 3]


class TestIncremental:
    def test_typing_session_matches_a_fresh_index(self, index_factory) -> None:
        session = index_factory()
        for typed in ("z", "zj", "zjl", "zj", "z", "", "w", "wa", "wan", "wang", "wangz", "恒", "恒瑞", "138", "1380"):
            assert session.search(typed) == index_factory().search(typed), typed

    def test_upsert_adds_and_replaces(self, index: SearchIndex) -> None:
        assert index.search("zhaoliu") == []
        index.search("zh")  # leaves a cached pool that the edit must not reuse
        index.upsert(person(99, "赵六", "赵总", weight=5))
        assert index.search("zhaoliu") == [99]
        assert index.search("")[0] == 99
        index.upsert(person(99, "钱七"))
        assert index.search("zhaoliu") == []
        assert index.search("qianqi") == [99]
        assert len(index) == len(BOOK) + 1

    def test_upsert_moves_a_customer_when_its_weight_changes(self, index: SearchIndex) -> None:
        before = index.search("")
        index.upsert(Candidate(8, keys_of(8), BOOK[8][0], weight=10))
        after = index.search("")
        assert after[0] == 8
        assert sorted(after) == sorted(before)

    def test_remove(self, index: SearchIndex) -> None:
        assert index.search("w")
        index.search("wz")
        index.remove(1)
        assert 1 not in index.search("wz")
        assert 1 not in index.search("")
        index.remove(1)  # already gone: nothing happens
        index.remove(12345)
        assert len(index) == len(BOOK) - 1

    def test_duplicate_ids_keep_the_last(self) -> None:
        index = SearchIndex([person(1, "王总"), person(1, "李总")])
        assert index.search("") == [1]
        assert index.search("lz") == [1]
        assert index.search("wz") == []

    def test_keys_from_before_search_existed_still_find_the_name(self) -> None:
        index = SearchIndex([Candidate(1, "", "王建国"), Candidate(2, "old free text 13800", "李明")])
        assert index.search("王建") == [1]
        assert index.search("13800") == [2]
        assert index.search("李明") == [2]


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢单解仇区乐查"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志海燕俊红梅德辉"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(SURNAMES), st.text(GIVEN, min_size=0, max_size=2), st.integers(0, 3)),
        min_size=1,
        max_size=25,
    ),
    st.data(),
)
def test_exact_name_is_first_or_tied_first_among_identical_names(people, data) -> None:
    candidates = [person(i, surname + given, weight=w) for i, (surname, given, w) in enumerate(people)]
    index = SearchIndex(candidates)
    target = data.draw(st.sampled_from(candidates))
    found = index.search(target.name)
    same = {c.id for c in candidates if c.name == target.name}
    assert set(found[: len(same)]) == same
    assert target.id in found[: len(same)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["w", "z", "j", "a", "n", "g", "王", "曾", "1", "3", "8", " ", "-"]), max_size=7))
def test_typing_one_key_at_a_time_equals_searching_from_scratch(index_factory, keystrokes) -> None:
    session = index_factory()
    typed = ""
    for key in keystrokes:
        typed += key
        assert session.search(typed) == index_factory().search(typed)


def run_isolated(code: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True, timeout=60
    )
    return json.loads(done.stdout)


HEAVY = ("pypinyin", "textual", "sqlalchemy", "sqlmodel")


def test_importing_search_loads_no_heavy_modules() -> None:
    code = f"import json, sys\nimport kequ.domain.search\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    assert run_isolated(code) == []


def test_matching_does_not_import_pypinyin() -> None:
    book = [[cid, keys_of(cid), BOOK[cid][0]] for cid in BOOK]
    code = (
        "import json, sys\n"
        "from kequ.domain.search import Candidate, SearchIndex\n"
        "index = SearchIndex(Candidate(*row) for row in json.loads(sys.argv[1]))\n"
        "found = {q: index.search(q) for q in ('wz', 'zjl', 'shan', '恒瑞', '13800', '')}\n"
        "index.upsert(Candidate(50, '', '新客户'))\n"
        "found['new'] = index.search('新客户')\n"
        f"print(json.dumps({{'found': found, 'loaded': [m for m in {HEAVY!r} if m in sys.modules]}}))"
    )
    out = run_isolated(code, json.dumps(book, ensure_ascii=False))
    assert out["loaded"] == []
    assert out["found"]["wz"][0] == 1
    assert out["found"]["zjl"][0] == 3
    assert out["found"]["shan"][0] == 4
    assert out["found"]["恒瑞"] == [3]
    assert out["found"]["13800"] == [1]
    assert out["found"]["new"] == [50]
