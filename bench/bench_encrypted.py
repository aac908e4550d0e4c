"""Start-up and Today on an encrypted book beside the same book plain, in one run.

    python bench/bench_encrypted.py [--sizes 10000] [--books DIR] [--runs 5] [--json]

For each size the plain book is copied and encrypted (``kequ.storage.encryption.encrypt``),
then ``bench_startup.measure`` times both: the app to its first frame, to Today filled and
loaded, and ``kequ today --json``, each a separate process launched through the real
command line, the passphrase given as a script gives it (``KEQU_PASSPHRASE``). The
encrypted book pays once per process for turning the passphrase into its key (SQLCipher
4's PBKDF2-HMAC-SHA512, 256,000 rounds, on the other core while modules import) and on
every page read for decrypting it. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
from datetime import date
from pathlib import Path

import bench_startup
import common

from kequ.storage import cipher
from kequ.storage.encryption import encrypt

PASSPHRASE = "bench-口令-2026"
COMPARED = ("first_frame_ms", "today_filled_ms", "today_loaded_ms", "today_json_ms", "peak_rss_mb")


def encrypted_copy(plain: Path) -> Path:
    folder = plain.parent / f"encrypted-{plain.stem}"
    target = folder / plain.name
    if not target.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        shutil.copyfile(plain, target)
        encrypt(target, PASSPHRASE)
    return target


def medians(runs: list[dict[str, object]]) -> dict[str, float]:
    """Each figure's median over the runs (the peak RSS: the highest)."""
    return {
        key: max(r[key] for r in runs) if key == "peak_rss_mb" else statistics.median(r[key] for r in runs)  # type: ignore[misc]
        for key in COMPARED
    }


def table(doc: dict[str, object]) -> None:
    print(f"{'customers':>10} {'figure':>16} {'plain':>8} {'encrypted':>10} {'slower by':>10}")
    for n, r in doc["sizes"].items():  # type: ignore[attr-defined]
        for key in COMPARED:
            plain, enc = r["plain"][key], r["encrypted"][key]
            print(f"{n:>10} {key:>16} {plain:>8} {enc:>10} {enc - plain:>+10}")
    print("(times in ms from launch, medians; RSS in MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_common_arguments(parser, sizes="10000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    today = args.today or date.today()
    doc: dict[str, object] = {"sizes": {}}
    with common.books_folder(args.books) as folder:
        for n in common.sizes_of(args.sizes):
            plain = common.book(folder, n, today)
            cipher.use_passphrase(PASSPHRASE)
            secret = encrypted_copy(plain)
            runs: dict[str, list[dict[str, object]]] = {"plain": [], "encrypted": []}
            for _ in range(args.runs):  # alternating, so that the machine's load falls on both alike
                bench_startup.CHILD_ENV.pop(cipher.ENV_VAR, None)
                runs["plain"].append(bench_startup.measure(plain, 1))
                bench_startup.CHILD_ENV[cipher.ENV_VAR] = PASSPHRASE
                runs["encrypted"].append(bench_startup.measure(secret, 1))
            measured = {kind: medians(found) for kind, found in runs.items()}
            doc["sizes"][n] = measured  # type: ignore[index]
    common.emit(doc, args.json, table)


if __name__ == "__main__":
    main()
