"""The raw rows of a CSV or XLSX file, streamed."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from kequ.errors import KequError
from kequ.exchange.imports.fields import PROGRESS_EVERY, Progress
from kequ.exchange.imports.sniff import read_sample

_DELIMITERS = (",", "\t", ";", "|")


def _delimiter(sample_text: str) -> str:
    """The separator Excel used: whichever appears most often in the first real line."""
    for line in sample_text.splitlines():
        if line.strip(" ,;\t|\ufeff"):
            counts = {d: line.count(d) for d in _DELIMITERS}
            best = max(counts, key=lambda d: counts[d])
            return best if counts[best] else ","
    return ","


def text_lines(raw: IO[bytes], encoding: str) -> Iterator[str]:
    """The file's lines, decoded one by one, line endings kept (the csv module wants them).

    Decoding per line, not per buffer, puts a decoding error on its true line number; it
    is safe because the byte \\n never occurs inside a UTF-8 or GB18030 character.
    UTF-16 has no such property and goes through a text stream instead.
    """
    if encoding == "utf-16":
        yield from io.TextIOWrapper(raw, encoding=encoding, newline="")
        return
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    for number, chunk in enumerate(raw, start=1):
        try:
            text = chunk.decode(codec)
        except UnicodeDecodeError:
            raise KequError("io.file.mixed_encoding", line=number, encoding=_encoding_name(encoding)) from None
        yield text.lstrip("\ufeff") if number == 1 else text


def csv_rows(path: Path, encoding: str, progress: Progress | None) -> Iterator[tuple[int, list[str]]]:
    sample, _ = read_sample(path)
    delimiter = _delimiter(sample.decode(encoding, errors="ignore"))
    total = path.stat().st_size
    with path.open("rb") as raw:
        reader = csv.reader(text_lines(raw, encoding), delimiter=delimiter)
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError:
                raise KequError("io.file.mixed_encoding", line=start, encoding=_encoding_name(encoding)) from None
            except csv.Error as error:
                raise KequError("io.file.csv_broken", line=start, detail=str(error)) from None
            if progress is not None and reader.line_num % PROGRESS_EVERY == 0:
                progress("read", raw.tell(), total)
            yield start, row
        if progress is not None:
            progress("read", total, total)


def _encoding_name(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "gb18030": "GBK/GB18030", "utf-16": "UTF-16"}.get(
        encoding, encoding
    )


def cell_text(value: object) -> str:
    """What a spreadsheet cell shows, as text: 13800138000 not 13800138000.0."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e17 else repr(value)
    return str(value)


def _open_book(path: Path) -> tuple[Any, IO[bytes]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    # A handle, not the name: openpyxl judges by the extension, and a workbook renamed .csv
    # is still a workbook.
    handle = path.open("rb")
    try:
        # data_only: the values Excel showed, not the formulas behind them.
        return load_workbook(handle, read_only=True, data_only=True), handle
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        handle.close()
        raise KequError("io.file.xlsx_broken", path=path, detail=str(error) or type(error).__name__) from None


# How many filled rows of a sheet are looked at for a header.
HEAD_ROWS = 10


def pick_sheet(path: Path, wanted: str | None, is_header: Callable[[list[str]], bool]) -> tuple[str, tuple[str, ...]]:
    """(the sheet to read, all the sheets' names).

    ``wanted`` names it (--sheet); else the first sheet with a header ``is_header`` knows
    among its first rows, so an instructions sheet in front is passed over; else the first.
    """
    book, handle = _open_book(path)
    try:
        names = tuple(book.sheetnames)
        if not names:
            raise KequError("io.file.empty", path=path)
        if wanted is not None:
            found = next((name for name in names if name == wanted), None)
            found = found or next((name for name in names if name.strip().lower() == wanted.strip().lower()), None)
            if found is None:
                raise KequError("io.file.no_sheet", sheet=wanted, sheets="、".join(names))
            return found, names
        for name in names:
            sheet = book[name]
            if not hasattr(sheet, "iter_rows"):
                continue  # a chart sheet
            sheet.reset_dimensions()
            seen = 0
            for values in sheet.iter_rows(values_only=True):
                cells = [cell_text(v) for v in values]
                if not any(c.strip() for c in cells):
                    continue
                if is_header(cells):
                    return name, names
                seen += 1
                if seen >= HEAD_ROWS:
                    break
        return names[0], names
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise KequError("io.file.xlsx_broken", path=path, detail=str(error) or type(error).__name__) from None
    finally:
        book.close()
        handle.close()


def xlsx_rows(path: Path, progress: Progress | None, sheet_name: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """The rows of one sheet (the first unless named), as text."""
    book, handle = _open_book(path)
    try:
        if not book.worksheets:
            raise KequError("io.file.empty", path=path)
        sheet = book[sheet_name] if sheet_name is not None else book.worksheets[0]
        total = sheet.max_row
        # Some programs write a wrong dimension (A1:A1); forgetting it reads every cell.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress("read", number, total)
            yield number, [cell_text(v) for v in values]
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise KequError("io.file.xlsx_broken", path=path, detail=str(error) or type(error).__name__) from None
    finally:
        book.close()
        handle.close()
