"""Import and export figures. Prints seconds; not a test.

    python bench/bench_io.py [--rows 10000] [--sizes 1000,10000,100000] [--books DIR] [--json]

* import: a GBK CSV of ``--rows`` rows as Excel on Chinese Windows writes it (CRLF,
  quoted notes with commas and line breaks, 1985/6/12 dates, one lunar birthday in
  four), read, checked row by row, duplicate-planned and written in one transaction
  into an empty database (``import_s``: the target is 10,000 rows in at most 10 s);
  the same file checked without writing (``dry_run_s``); then again with
  ``--on-duplicate merge``, where every row is a duplicate (``merge_s``);
* export, per book (see ``dataset.py``): every table to JSON, the lossless format, and
  the next 60 days to iCalendar, as ``kequ export`` writes them.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from time import perf_counter

import common

from kequ.exchange.export import export_to_file
from kequ.exchange.imports.run import import_file
from kequ.storage.database import open_database

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


def seconds(action: Callable[[], object]) -> tuple[float, object]:
    start = perf_counter()
    result = action()
    return round(perf_counter() - start, 2), result


def measure_import(rows: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / "客户.csv"
        source.write_bytes(csv_bytes(rows))
        db = open_database(str(root / "kequ.db"))
        dry_s, _ = seconds(lambda: import_file(db, source, dry_run=True))
        import_s, report = seconds(lambda: import_file(db, source))
        merge_s, merged = seconds(lambda: import_file(db, source, on_duplicate="merge"))
        return {
            "rows": rows,
            "csv_mb": round(source.stat().st_size / 1e6, 1),
            "import_s": import_s,
            "added": report.added,  # type: ignore[attr-defined]
            "refused": report.rejected_rows,  # type: ignore[attr-defined]
            "dry_run_s": dry_s,
            "merge_s": merge_s,
            "merged": merged.merged,  # type: ignore[attr-defined]
        }


def measure_export(path: Path, today: date) -> dict[str, object]:
    db = open_database(str(path), daily_backup=False)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        json_s, _ = seconds(lambda: export_to_file(db, "json", out / "all.json", today))
        ics_s, result = seconds(lambda: export_to_file(db, "ics", out / "all.ics", today))
        return {
            "export_json_s": json_s,
            "json_mb": round((out / "all.json").stat().st_size / 1e6, 1),
            "export_ics_s": ics_s,
            "ics_events": result.count,  # type: ignore[attr-defined]
        }


def table(doc: dict[str, object]) -> None:
    imp = doc["import"]
    print(
        f"import {imp['rows']} CSV rows ({imp['csv_mb']} MB GBK): {imp['import_s']:.2f} s, added {imp['added']},"  # type: ignore[index]
        f" refused {imp['refused']}; dry run {imp['dry_run_s']:.2f} s;"  # type: ignore[index]
        f" again with merge {imp['merge_s']:.2f} s ({imp['merged']} merged)"  # type: ignore[index]
    )
    print(f"\n{'customers':>10} {'JSON s':>7} {'JSON MB':>8} {'ICS s':>6} {'ICS events':>11}")
    for n, r in doc["sizes"].items():  # type: ignore[attr-defined]
        print(
            f"{n:>10} {r['export_json_s']:>7.2f} {r['json_mb']:>8.1f} {r['export_ics_s']:>6.2f} {r['ics_events']:>11}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_common_arguments(parser)
    parser.add_argument("--rows", type=int, default=10_000, help="rows in the imported CSV")
    args = parser.parse_args()
    today = args.today or date.today()
    doc: dict[str, object] = {"import": measure_import(args.rows), "sizes": {}}
    with common.books_folder(args.books) as folder:
        for n in common.sizes_of(args.sizes):
            doc["sizes"][n] = measure_export(common.book(folder, n, today), today)  # type: ignore[index]
    common.emit(doc, args.json, table)


if __name__ == "__main__":
    main()
