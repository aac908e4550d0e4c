"""Likely duplicates: pairs by the import's keys, and by a name at another company."""

from __future__ import annotations

import pytest

from kequ.domain.duplicates import MAX_GROUP, LikelyPair, likely_pairs


def row(cid: int, name: str, company: str = "", phones: tuple[str, ...] = (), wechat: str = "", email: str = ""):
    return (cid, name, company, phones, wechat, email)


def pairs_of(rows: list[tuple]) -> list[LikelyPair]:
    """likely_pairs on rows as ``row`` makes them: customers, and their phones one a line."""
    customers = [(cid, name, company, wechat, email) for cid, name, company, _, wechat, email in rows]
    return likely_pairs(customers, [(r[0], phone) for r in rows for phone in r[3]])


def test_each_sign_pairs_two_customers_surest_reason_first() -> None:
    pairs = pairs_of(
        [
            row(1, "王建国", "恒瑞", phones=("138 0013 8000",), wechat="WJG"),
            row(2, "王总", phones=("+86 13800138000",), wechat="wjg"),  # same phone and WeChat
            row(3, "李娜", email="Li@Example.com"),
            row(4, "小李", email="li@example.com "),
            row(5, "陈静", "远航贸易"),
            row(6, "陈 静", "远航贸易"),  # the same name at the same company
            row(7, "赵敏", "鼎盛"),
            row(8, "赵敏", "金桥"),  # the same name at another company
            row(9, "孙丽"),
            row(10, "孙丽", "宏达"),  # one of them without a company
        ]
    )
    assert pairs == [
        LikelyPair(1, 2, ("phone", "wechat")),
        LikelyPair(3, 4, ("email",)),
        LikelyPair(5, 6, ("name_company",)),
        LikelyPair(7, 8, ("name_other_company",)),
        LikelyPair(9, 10, ("name_other_company",)),
    ]


def test_no_proof_no_pair() -> None:
    pairs = pairs_of(
        [
            row(1, "王总"),
            row(2, "王总"),  # two 王总 without a company are two people
            row(3, "王", "恒瑞"),
            row(4, "王", "金桥"),  # a surname alone
            row(5, "周华", phones=("123",)),
            row(6, "吴磊", phones=("123",)),  # a short number is no phone
            row(7, "郑洁", phones=("13900001111", "139-0000-1111")),  # one customer, one number twice
        ]
    )
    assert pairs == []


def test_a_key_shared_by_many_is_a_shared_thing_not_one_person() -> None:
    switchboard = [row(i, f"同事{i}", "恒瑞", phones=("0512-66889900",)) for i in range(1, MAX_GROUP + 2)]
    assert pairs_of(switchboard) == []
    few = switchboard[:3]
    assert [(p.first, p.second) for p in pairs_of(few)] == [(1, 2), (1, 3), (2, 3)]


def test_a_hundred_thousand_customers_pair_in_one_pass() -> None:
    """Linear, not pairwise: a book of 100k with 1k planted twins finds exactly the twins."""
    rows = [row(i, f"客户{i}", f"公司{i}", phones=(f"139{i:08d}",)) for i in range(1, 100_001)]
    rows += [row(200_000 + i, f"别名{i}", phones=(f"139{i:08d}",)) for i in range(1, 1001)]
    pairs = pairs_of(rows)
    assert len(pairs) == 1000
    assert all(p.second == p.first + 200_000 and p.by == ("phone",) for p in pairs)


def awkward_rows(with_nul: bool) -> list[tuple]:
    """60 customers of random awkward spellings: full-width, spaces, +86, zero-width, NUL."""
    import random

    rng = random.Random(5)
    names = [
        "王建国",
        "王 建国",
        "ＷＡＮＧ",
        "wang",
        "王建国\u200b",
        "李\u3000娜",
        "李娜",
        "Ａ\x00b",
        "a\x00b",
        "İi",
        "i̇i",
        "",
    ]
    companies = ["恒瑞", "恒 瑞", "ＨＥＮＧ", "heng", "", " ", "恒瑞\t"]
    phones = ["13800138000", "+86 138-0013-8000", "0086 13800138000", "8613800138000", "１３８００１３８０００"]
    phones += ["0512-66889900", "051266889900", "123", "86-1380013800", "138\x0000138000", ""]
    texts = ["wjg", "WJG", " wjg ", "ｗｊｇ", "", " ", "w\x00g", "Li@Example.com", "li@example.com "]
    rows = [
        row(
            cid,
            rng.choice(names),
            rng.choice(companies),
            tuple(rng.sample(phones, rng.randint(0, 2))),
            rng.choice(texts),
            rng.choice(texts),
        )
        for cid in range(1, 61)
    ]
    if not with_nul:
        rows = [tuple(v.replace("\x00", "") if isinstance(v, str) else v for v in r) for r in rows]
        rows = [(*r[:3], tuple(p.replace("\x00", "") for p in r[3]), *r[4:]) for r in rows]
    return rows


@pytest.mark.parametrize("with_nul", [False, True])  # a NUL in a text: folded one at a time
def test_the_list_pairs_by_the_very_keys_the_import_and_kequ_add_use(with_nul: bool) -> None:
    """Column by column it is folded in bulk: it must still find exactly the pairs that
    ``duplicate_keys`` finds compared one by one, on the awkward spellings too."""
    from itertools import combinations

    from kequ.domain.duplicates import duplicate_keys

    rows = awkward_rows(with_nul)
    keys = {r[0]: set(duplicate_keys(r[1], r[2], r[3], r[4], r[5])) for r in rows}
    expected: dict[tuple[int, int], set[str]] = {}
    shared: dict[tuple[str, str], int] = {}
    for r in rows:
        for key in keys[r[0]]:
            shared[key] = shared.get(key, 0) + 1
    for a, b in combinations(sorted(keys), 2):
        common = {by for by, key in keys[a] & keys[b] if shared[by, key] <= MAX_GROUP}
        if common:
            expected[a, b] = common
    found = {(p.first, p.second): set(p.by) - {"name_other_company"} for p in pairs_of(rows)}
    assert {pair: by for pair, by in found.items() if by} == expected
    assert len(expected) > 20  # the sample does hold pairs of every kind
    assert {by for reasons in expected.values() for by in reasons} == {"phone", "wechat", "email", "name_company"}


@pytest.mark.parametrize("with_nul", [False, True])
def test_the_import_index_holds_the_very_keys_of_each_customer(with_nul: bool) -> None:
    """key_index folds column by column what duplicate_keys folds one customer at a time:
    the same keys for the same ids, and the customers with no key at all apart."""
    from kequ.domain.duplicates import duplicate_keys, key_index

    rows = awkward_rows(with_nul)
    customers = [(cid, name, company, wechat, email) for cid, name, company, _, wechat, email in rows]
    index, keyless = key_index(customers, [(r[0], phone) for r in rows for phone in r[3]])
    expected: dict[tuple[str, str], list[int]] = {}
    for cid, name, company, phones, wechat, email in rows:
        for key in duplicate_keys(name, company, phones, wechat, email):
            expected.setdefault(key, []).append(cid)
    assert {key: sorted(ids) for key, ids in index.items()} == {key: sorted(ids) for key, ids in expected.items()}
    assert keyless == [r[0] for r in rows if not duplicate_keys(*r[1:])]
    assert keyless and len(index) > 10  # the sample holds both
