"""Import and export figures at 10k customers. Prints seconds; not a test.

    python bench/bench_io.py [--rows 10000] [--interactions 5]

* import: a GBK CSV as Excel on Chinese Windows writes it (CRLF, quoted notes with
  commas and line breaks, 1985/6/12 dates, one lunar birthday in four), read, checked
  row by row, duplicate-planned and written in one transaction; then the same file again
  with ``--on-duplicate merge`` semantics, where every row is a duplicate;
* dry run: the same file checked without writing;
* export: the resulting database (plus a few interactions per customer) to JSON, the
  lossless format, and to iCalendar over the next 60 days, as ``kequ export`` does.

The goal is an import of 10,000 rows in at most 10 s.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from time import perf_counter

from kequ.db import open_database
from kequ.services.exporting import export_to_file
from kequ.services.importing import import_file

TODAY = date(2026, 11, 23)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志海燕俊红梅德辉晓东欣怡子涵浩然振立新永康佳琪"
CITIES = ("苏州", "杭州", "无锡", "宁波", "上海", "南京", "常州", "嘉兴", "温州", "合肥", "深圳", "东莞")
TRADES = ("精密机械", "贸易", "电子科技", "塑业", "五金", "新材料", "包装", "物流", "自动化设备", "化工")
TIERS = ("关键", "重要", "潜力", "普通", "常规", "临时", "A", "B", "C")
DISC = ("力量型", "活泼型", "和平型", "完美型", "D", "I", "S", "C", "")
HEADER = ["姓名", "称呼", "公司", "职位", "手机", "微信", "邮箱",
          "城市", "生日", "农历生日", "等级", "性格", "标签", "备注"]  # fmt: skip
LUNAR_DAYS = ("正月初八", "三月初三", "五月初五", "八月十五", "九月初九", "冬月十一", "腊月廿三")


def csv_bytes(n: int, seed: int = 3) -> bytes:
    rng = random.Random(seed)
    rows = [HEADER]
    for i in range(n):
        surname = rng.choice(SURNAMES)
        name = surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        city = rng.choice(CITIES)
        lunar = i % 4 == 0
        rows.append(
            [
                name,
                f"{surname}总" if i % 3 == 0 else "",
                f"{city}{rng.choice(GIVEN)}{rng.choice(GIVEN)}{rng.choice(TRADES)}有限公司",
                rng.choice(("总经理", "采购经理", "技术主管", "")),
                f"1{rng.choice('3589')}{i:09d}",
                f"wx_{i}" if i % 2 else "",
                f"c{i}@example.cn" if i % 5 == 0 else "",
                city,
                "" if lunar else f"{rng.randint(1960, 2000)}/{rng.randint(1, 12)}/{rng.randint(1, 28)}",
                rng.choice(LUNAR_DAYS) if lunar else "",
                rng.choice(TIERS),
                rng.choice(DISC),
                "老客户,展会" if i % 7 == 0 else "",
                "喜欢喝茶，不抽烟\n孩子在读高中" if i % 10 == 0 else "",
            ]
        )
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("gbk")


def add_history(db_path: Path, per_customer: int) -> None:
    import sqlite3

    rng = random.Random(5)
    conn = sqlite3.connect(db_path)
    ids = [row[0] for row in conn.execute("SELECT id FROM customer")]
    rows = [
        (
            cid,
            rng.choice(("call", "visit", "message")),
            (datetime.combine(TODAY, datetime.min.time(), UTC) - timedelta(days=rng.randint(1, 400))).strftime(
                "%Y-%m-%d %H:%M:%S.%f"
            ),
        )
        for cid in ids
        for _ in range(per_customer)
    ]
    conn.executemany(
        "INSERT INTO interaction (customer_id, kind, happened_at, notes, outcome) VALUES (?, ?, ?, '', '')", rows
    )
    conn.commit()
    conn.close()


def timed(label: str, action: Callable[[], object]) -> object:
    start = perf_counter()
    result = action()
    print(f"{label:<44} {perf_counter() - start:7.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--interactions", type=int, default=5, help="per customer, before the exports")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / "客户.csv"
        source.write_bytes(csv_bytes(args.rows))
        print(f"{args.rows} rows, {source.stat().st_size / 1e6:.1f} MB GBK CSV")
        db = open_database(str(root / "kequ.db"))

        report = timed("dry run (read + check + plan)", lambda: import_file(db, source, dry_run=True))
        report = timed("import into an empty database", lambda: import_file(db, source))
        print(f"  added {report.added}, refused {report.rejected_rows}")  # type: ignore[attr-defined]
        report = timed("same file again, every row merged", lambda: import_file(db, source, on_duplicate="merge"))
        print(f"  merged {report.merged}")  # type: ignore[attr-defined]

        add_history(db.path, args.interactions)
        result = timed("export JSON (every table)", lambda: export_to_file(db, "json", root / "all.json", TODAY))
        print(f"  {(root / 'all.json').stat().st_size / 1e6:.1f} MB")
        result = timed("export ICS (next 60 days)", lambda: export_to_file(db, "ics", root / "all.ics", TODAY))
        print(f"  {result.count} events, {(root / 'all.ics').stat().st_size / 1e6:.1f} MB")  # type: ignore[attr-defined]
        timed("export CSV", lambda: export_to_file(db, "csv", root / "all.csv", TODAY))
        timed("export vCard", lambda: export_to_file(db, "vcf", root / "all.vcf", TODAY))
        copy = open_database(str(root / "copy.db"))
        timed("import the JSON into an empty database", lambda: import_file(copy, root / "all.json"))


if __name__ == "__main__":
    main()
