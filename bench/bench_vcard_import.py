"""Importing a phone's contacts export with photos. Prints seconds; not a test.

    python bench/bench_vcard_import.py [--cards 10000] [--photo-kb 12] [--json]

A vCard 3.0 file as an iPhone exports it: ``--cards`` cards, each with a name (N and
FN, Chinese), a company and title, two phones, an e-mail, a birthday, a note and a
JPEG photo of about ``--photo-kb`` KB as folded base64 (a phone's contact thumbnail);
one card in ten is a vCard 2.1 Android card with quoted-printable text instead. The
file is read, checked and written in one transaction into an empty database
(``import_s``: the target is 10,000 cards in at most 10 s).
"""

from __future__ import annotations

import argparse
import base64
import random
import tempfile
from pathlib import Path
from time import perf_counter, process_time

import common

from kequ.exchange.imports.run import import_file
from kequ.storage.database import open_database

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志海燕俊红梅德辉晓东欣怡子涵浩然振立新永康佳琪"
TRADES = ("精密机械", "贸易", "电子科技", "塑业", "五金", "新材料", "包装", "物流", "自动化设备", "化工")


def _photo(rng: random.Random, size: int) -> str:
    """A JPEG-looking payload (random bytes compress no better than a real photo), folded."""
    data = base64.b64encode(b"\xff\xd8\xff\xe0" + rng.randbytes(size - 4)).decode()
    return "\r\n ".join([data[:46], *(data[i : i + 74] for i in range(46, len(data), 74))])


def _qp(text: str) -> str:
    return "".join(f"={byte:02X}" for byte in text.encode())


def write_cards(path: Path, cards: int, photo_bytes: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    photos = [_photo(rng, photo_bytes + rng.randrange(-2048, 2048)) for _ in range(50)]
    with path.open("w", encoding="utf-8", newline="") as out:
        for i in range(cards):
            family = rng.choice(SURNAMES)
            given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            mobile = f"1{rng.choice('3578')}{i:09d}"
            if i % 10 == 9:
                out.write(
                    "BEGIN:VCARD\r\nVERSION:2.1\r\n"
                    f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(family)};{_qp(given)};;;\r\n"
                    f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(family + given)}\r\n"
                    f"TEL;CELL:{mobile}\r\n"
                    f"PHOTO;ENCODING=BASE64;JPEG:{rng.choice(photos)}\r\n\r\n"
                    "END:VCARD\r\n"
                )
                continue
            company = f"苏州{rng.choice(TRADES)}{i % 700}有限公司"
            out.write(
                "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.5//EN\r\n"
                f"N:{family};{given};;;\r\nFN:{family}{given}\r\n"
                f"ORG:{company};采购部\r\nTITLE:采购经理\r\n"
                f"TEL;type=CELL;type=VOICE;type=pref:{mobile[:3]} {mobile[3:7]} {mobile[7:]}\r\n"
                f"TEL;type=WORK;type=VOICE:0512-6{i % 10**7:07d}\r\n"
                f"item1.EMAIL;type=INTERNET;type=pref:c{i}@example.cn\r\n"
                f"BDAY;value=date:19{rng.randrange(60, 99)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}\r\n"
                "NOTE:展会认识\\, 关注交期和价格\r\n"
                f"PHOTO;ENCODING=b;TYPE=JPEG:{rng.choice(photos)}\r\n"
                "END:VCARD\r\n"
            )


def measure(cards: int, photo_kb: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "contacts.vcf"
        write_cards(path, cards, photo_kb * 1024)
        size_mb = path.stat().st_size / 1e6
        db = open_database(str(Path(folder) / "kequ.db"))
        start, cpu = perf_counter(), process_time()
        report = import_file(db, path)
        seconds, cpu = perf_counter() - start, process_time() - cpu
    return {
        "cards": cards,
        "file_mb": round(size_mb, 1),
        "import_s": round(seconds, 2),
        "cpu_s": round(cpu, 2),  # the machine's other load left out
        "skipped": report.skipped,
        "added": report.added,
        "refused": report.rejected_rows,
    }


def table(doc: dict[str, object]) -> None:
    print(f"{'cards':>7} {'file MB':>8} {'import s':>9} {'CPU s':>6} {'added':>7} {'skipped':>8} {'refused':>8}")
    print(
        f"{doc['cards']:>7} {doc['file_mb']:>8} {doc['import_s']:>9} {doc['cpu_s']:>6} {doc['added']:>7}"
        f" {doc['skipped']:>8} {doc['refused']:>8}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000, help="cards in the imported file")
    parser.add_argument("--photo-kb", type=int, default=12, help="size of each card's photo in KB")
    parser.add_argument("--json", action="store_true", help="one JSON document instead of a table")
    args = parser.parse_args()
    common.emit(measure(args.cards, args.photo_kb), args.json, table)


if __name__ == "__main__":
    main()
