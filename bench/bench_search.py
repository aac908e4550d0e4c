"""Search-as-you-type latency at 1k / 10k / 100k customers. Prints figures; not a test.

    python bench/bench_search.py [--sizes 1000,10000,100000] [--sessions 40]

Customers are realistic: Chinese names from common surnames (polyphonic ones included)
and given names, 称呼 such as 王总 / 曾经理 / 小王, companies "city + two characters +
trade + 有限公司", mobile phones written with separators, WeChat ids, cities and tags.
Their keys come from ``search_keys`` exactly as at save time (its cost per call is
printed too). Then typing sessions are replayed as the customers screen runs them: one
``SearchIndex`` kept across the keystrokes of a session, each session starting from an
empty box (which drops the previous session's narrowing pool). Every keystroke is timed.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
from time import perf_counter

from kequ.search import Candidate, SearchIndex, search_keys

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢汪单解仇区乐"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志海燕俊红梅德辉晓东欣怡子涵浩然振立新永康佳琪雪慧"
TITLES = ("{s}总", "{s}经理", "小{s}", "{s}姐", "老{s}", "{s}工", "{s}主任", "{s}总监", "{s}哥")
CITIES = ("苏州", "杭州", "无锡", "宁波", "上海", "南京", "常州", "嘉兴", "温州", "合肥", "深圳", "东莞", "佛山")
WORDS = ("恒瑞", "远航", "海天", "华联", "鼎盛", "金桥", "新锐", "宏达", "永信", "中诚", "博远", "天合", "众成", "瑞丰")
TRADES = ("精密机械", "贸易", "电子科技", "塑业", "五金", "新材料", "包装", "物流", "自动化设备", "化工", "纺织")
TAGS = ("老客户", "VIP", "决策人", "华东", "展会", "转介绍", "价格敏感", "钓鱼", "高尔夫")
WEIGHTS = (3, 2, 1, 0)

SESSIONS: tuple[tuple[str, ...], ...] = (
    ("w", "wz"),
    ("z", "zj", "zjl"),
    ("恒", "恒瑞"),
    ("138", "1380"),
    ("wangz",),
    ("s", "su", "suz", "suzh", "suzhou"),
)


def people(n: int, seed: int = 11) -> list[tuple[int, str, tuple[str, ...], int]]:
    """(id, name, search_keys arguments, weight) for n customers."""
    rng = random.Random(seed)
    out = []
    for cid in range(1, n + 1):
        surname = rng.choice(SURNAMES)
        name = surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        honorific = rng.choice(TITLES).format(s=surname) if rng.random() < 0.8 else ""
        city = rng.choice(CITIES)
        company = f"{city}{rng.choice(WORDS)}{rng.choice(TRADES)}有限公司" if rng.random() < 0.9 else ""
        mobile = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        phone = rng.choice(
            (mobile, f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}", f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}")
        )
        wechat = rng.choice(("", f"wx_{rng.randrange(10**6)}", f"{surname}_{rng.randrange(1000)}", mobile))
        tags = tuple(rng.sample(TAGS, rng.choice((0, 1, 1, 2))))
        out.append((cid, name, (name, honorific, company, (phone,), wechat, "", city, tags), rng.choice(WEIGHTS)))
    return out


def make_candidates(n: int) -> tuple[list[Candidate], float]:
    """The candidates, and the mean microseconds per search_keys call."""
    rows = people(n)
    started = perf_counter()
    keys = [search_keys(*args) for _cid, _name, args, _w in rows]  # type: ignore[arg-type]
    per_call_us = (perf_counter() - started) / n * 1e6
    return [Candidate(cid, k, name, w) for (cid, name, _args, w), k in zip(rows, keys, strict=True)], per_call_us


def run(size: int, sessions: int) -> tuple[float, float, float, float, dict[str, list[float]]]:
    candidates, per_call_us = make_candidates(size)
    gc.collect()
    started = perf_counter()
    index = SearchIndex(candidates)
    build_ms = (perf_counter() - started) * 1000
    latencies: list[float] = []
    by_key: dict[str, list[float]] = {}
    for _ in range(sessions):
        for session in SESSIONS:
            index.search("")  # the box is cleared: the next session starts with no pool
            for typed in session:
                started = perf_counter()
                index.search(typed)
                ms = (perf_counter() - started) * 1000
                latencies.append(ms)
                by_key.setdefault(typed, []).append(ms)
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
    return statistics.median(latencies), p95, build_ms, per_call_us, by_key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--sessions", type=int, default=40, help="repetitions of the six typing sessions")
    parser.add_argument("--per-key", action="store_true", help="also print each keystroke's median and p95")
    args = parser.parse_args()

    started = perf_counter()
    search_keys("曾经理")  # pays the one-time pypinyin import outside the per-call figure
    print(f"first search_keys call (imports pypinyin): {(perf_counter() - started) * 1000:.0f} ms")
    print(f"python {sys.version.split()[0]}, {args.sessions} repetitions of {len(SESSIONS)} sessions\n")
    print(f"{'size':>7} | {'median ms':>9} | {'p95 ms':>7} | {'build ms':>8} | {'search_keys µs/call':>19}")
    print(f"{'-' * 7}-+-{'-' * 9}-+-{'-' * 7}-+-{'-' * 8}-+-{'-' * 19}")
    details = []
    for size in (int(s) for s in args.sizes.split(",")):
        median, p95, build_ms, per_call_us, by_key = run(size, args.sessions)
        print(f"{size:>7} | {median:>9.2f} | {p95:>7.2f} | {build_ms:>8.0f} | {per_call_us:>19.0f}", flush=True)
        details.append((size, by_key))
    if args.per_key:
        for size, by_key in details:
            print(f"\n{size} customers, per keystroke (median / p95 ms):")
            for typed, values in by_key.items():
                values.sort()
                p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
                print(f"  {typed:<8} {statistics.median(values):7.2f} {p95:7.2f}")


if __name__ == "__main__":
    main()
