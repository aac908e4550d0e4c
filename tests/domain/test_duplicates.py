"""Likely duplicates: pairs by the import's keys, and by a name at another company."""

from __future__ import annotations

from kequ.domain.duplicates import MAX_GROUP, LikelyPair, likely_pairs


def row(cid: int, name: str, company: str = "", phones: tuple[str, ...] = (), wechat: str = "", email: str = ""):
    return (cid, name, company, phones, wechat, email)


def test_each_sign_pairs_two_customers_surest_reason_first() -> None:
    pairs = likely_pairs(
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
    pairs = likely_pairs(
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
    assert likely_pairs(switchboard) == []
    few = switchboard[:3]
    assert [(p.first, p.second) for p in likely_pairs(few)] == [(1, 2), (1, 3), (2, 3)]


def test_a_hundred_thousand_customers_pair_in_one_pass() -> None:
    """Linear, not pairwise: a book of 100k with 1k planted twins finds exactly the twins."""
    rows = [row(i, f"客户{i}", f"公司{i}", phones=(f"139{i:08d}",)) for i in range(1, 100_001)]
    rows += [row(200_000 + i, f"别名{i}", phones=(f"139{i:08d}",)) for i in range(1, 1001)]
    pairs = likely_pairs(rows)
    assert len(pairs) == 1000
    assert all(p.second == p.first + 200_000 and p.by == ("phone",) for p in pairs)
