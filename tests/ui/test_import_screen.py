"""Import in the app (i): choose a file, correct the preview, import with a progress bar.

Driven with Pilot on a real SQLite file. The sample files are copied into the test's
own folder first: the import writes its error report beside the file it read.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from textual.widgets import DataTable, DirectoryTree, Input, OptionList, ProgressBar, Static
from textual.worker import WorkerState

from kequ.ui.app import KequApp
from kequ.ui.screens.importer.importer import FieldPrompt, ImportScreen
from tests.exchange.conftest import count, excel_csv, table_dump
from tests.ui import helpers
from tests.ui.helpers import wait_for_screen

DATA = Path(__file__).resolve().parents[2] / "data"


def sample(tmp_path: Path, name: str = "customers-gbk.csv") -> Path:
    folder = tmp_path / "files"
    folder.mkdir(exist_ok=True)
    return Path(shutil.copy(DATA / name, folder / name))


async def settle(pilot) -> None:
    """As ``helpers.settle``, but the folder tree's loader, which waits for folders to
    open for as long as the tree is shown, does not count as work in progress."""
    if not isinstance(pilot.app.screen, ImportScreen | FieldPrompt):
        await helpers.settle(pilot)
        return
    for _ in range(300):
        await pilot.pause()
        busy = [
            worker
            for worker in pilot.app.workers
            if worker.state in (WorkerState.PENDING, WorkerState.RUNNING) and not isinstance(worker.node, DirectoryTree)
        ]
        if not busy:
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError("the import screen never finished its work")


def rows_of(table: DataTable) -> list[str]:
    return [" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


def shown(screen: ImportScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def open_import(pilot) -> ImportScreen:
    await settle(pilot)
    await pilot.press("i")
    await wait_for_screen(pilot, ImportScreen)
    screen = pilot.app.screen
    assert isinstance(screen, ImportScreen)
    return screen


async def choose(pilot, screen: ImportScreen, path: Path | str, wait: bool = True) -> None:
    """Type the path (set at once: Pilot types slowly) and press Enter in the box; then,
    with ``wait``, let the screen finish reading and checking it."""
    box = screen.query_one("#import-path", Input)
    box.focus()
    box.value = str(path)
    await pilot.press("enter")
    if wait:
        await settle(pilot)


async def open_and_import(pilot, path: Path) -> ImportScreen:
    """From the main screen: open the import, choose ``path`` and import it at once."""
    screen = await open_import(pilot)
    await choose(pilot, screen, path)
    await pilot.press("ctrl+s")
    await settle(pilot)
    return screen


async def set_column(pilot, screen: ImportScreen, column: str, option: str) -> None:
    """Change what one column becomes, by keys: to its row, Enter, the choice, Enter."""
    assert screen.preview is not None
    table = screen.query_one("#import-columns", DataTable)
    table.focus()
    table.move_cursor(row=screen.preview.columns.index(column))
    await pilot.press("enter")
    await wait_for_screen(pilot, FieldPrompt)
    options = pilot.app.screen.query_one(OptionList)
    options.highlighted = options.get_option_index(option)
    await pilot.press("enter")
    await settle(pilot)


async def test_the_preview_shows_the_guessed_columns_and_the_dry_run(db, tmp_path: Path) -> None:
    source = sample(tmp_path)
    app = KequApp(db.path)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_import(pilot)
        await choose(pilot, screen, source)
        assert screen.stage == "preview"
        assert "customers-gbk.csv" in shown(screen, "#import-file") and "GBK" in shown(screen, "#import-file")
        columns = rows_of(screen.query_one("#import-columns", DataTable))
        assert columns[0].startswith("姓名 姓名 王建国 李娜")
        assert columns[11].startswith("性格 性格类型 力量型")
        summary = shown(screen, "#import-summary")
        assert "共 8 行" in summary and "新客户 7 位" in summary
        assert "重复 1 行（将跳过）" in summary and "有问题 0 行" in summary and "有提示 1 行" in summary
        problems = rows_of(screen.query_one("#import-problems", DataTable))
        # Nothing is written yet: the warned row *will* go in.
        assert problems[0].startswith("5 将导入·见备注 生日：1990-02-30 2月没有30号")
        assert problems[1].startswith("11 重复 李娜（重复） 电话与第 3 行相同，将跳过")
        assert count(db.path) == 0  # a preview writes nothing


async def test_changing_a_column_runs_the_dry_run_again(db, tmp_path: Path) -> None:
    source = sample(tmp_path)
    app = KequApp(db.path)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_import(pilot)
        await choose(pilot, screen, source)
        # The impossible birthday is the only warning: leave the column out and it is gone.
        await set_column(pilot, screen, "生日", "-")
        assert screen.stage == "preview"
        assert screen.overrides == {"生日": "-"}
        row = rows_of(screen.query_one("#import-columns", DataTable))[8]
        assert row.startswith("生日 ✎ 不导入")
        summary = shown(screen, "#import-summary")
        assert "新客户 7 位" in summary and "有问题 0 行" in summary and "有提示 0 行" in summary
        # A field taken from a guessed column: the guessed one goes to the notes, not lost.
        await set_column(pilot, screen, "称呼", "name")
        columns = rows_of(screen.query_one("#import-columns", DataTable))
        assert columns[0].startswith("姓名 记入备注") and columns[1].startswith("称呼 ✎ 姓名")
        await set_column(pilot, screen, "称呼", "-")
        assert rows_of(screen.query_one("#import-columns", DataTable))[0].startswith("姓名 姓名")
        # Without the names every row is named after its company, each with a warning.
        await set_column(pilot, screen, "姓名", "-")
        assert "新客户 7 位" in shown(screen, "#import-summary") and "有提示 8 行" in shown(screen, "#import-summary")
        # A choice that leaves nothing saying who anyone is: why the file cannot go in, the columns stay.
        for column in ("称呼", "公司", "手机", "微信", "邮箱"):
            await set_column(pilot, screen, column, "-")
        assert "找不到“姓名”列" in shown(screen, "#import-summary")
        assert len(rows_of(screen.query_one("#import-columns", DataTable))) == 14
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.stage == "preview" and count(db.path) == 0


async def test_a_report_file_is_written_only_for_refused_rows_and_says_where(db, tmp_path: Path) -> None:
    folder = tmp_path / "Downloads"
    folder.mkdir()
    rows = [["姓名", "手机", "生日"], ["王建国", "13912345678", "1900-01-01"], ["", "", "5-3"]]
    source = excel_csv(folder / "名单.csv", rows)
    app = KequApp(db.path)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_and_import(pilot, source)
        assert screen.stage == "done" and count(db.path) == 1
        report = folder / "名单-导入出错的行.csv"
        summary = shown(screen, "#import-summary").replace("\n", "")
        assert f"已写入 {report}" in summary
        lines = report.read_text(encoding="utf-8-sig").splitlines()
        assert lines[1].startswith("3,姓名：") and lines[2].startswith("2,,生日 1900-01-01：")


async def test_the_problem_table_fits_its_labels_and_wraps_at_80_and_100_columns(db, tmp_path: Path) -> None:
    from rich.cells import cell_len

    source = sample(tmp_path)
    for width in (80, 100):
        app = KequApp(db.path)
        async with app.run_test(size=(width, 40)) as pilot:
            screen = await open_import(pilot)
            await choose(pilot, screen, source)
            table = screen.query_one("#import-problems", DataTable)
            kind = table.columns[next(k for k in table.columns if k.value == "kind")]
            assert kind.width >= cell_len("将导入·见备注") and kind.width >= cell_len("已导入·见备注")
            # Every column on the screen, none cut off at its right edge.
            assert sum(c.get_render_width(table) for c in table.columns.values()) <= table.size.width
            # A long value or reason wraps onto more lines instead of being cut: all of it shows.
            reason = table.columns[next(k for k in table.columns if k.value == "reason")]
            for key, row in table.rows.items():
                text = str(table.get_cell(key, reason.key))
                assert cell_len(text) <= reason.width * row.height, (width, text)
            if width == 80:  # 2月没有30号，这个月最多28天。请检查日期。 needs two lines there
                assert max(row.height for row in table.rows.values()) == 2
            # The explanation above the table wraps too: all of it is on the screen.
            title = screen.query_one("#import-problems-title", Static)
            assert title.size.height >= 2 and title.size.width <= width


async def test_import_writes_the_customers_once_and_reports_the_refused_rows(db, tmp_path: Path) -> None:
    source = sample(tmp_path)
    app = KequApp(db.path)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_and_import(pilot, source)
        assert screen.stage == "done"
        assert count(db.path) == 7
        assert screen.query_one("#import-bar", ProgressBar).percentage == 1.0
        summary = shown(screen, "#import-summary")
        assert "新增 7 位" in summary and "出错 0 行" in summary and "1 行有看不懂的内容" in summary
        # Only a warning, kept in the notes: no report file is left in the user's folder.
        assert list(source.parent.iterdir()) == [source] and "导入出错的行" not in summary
        problems = rows_of(screen.query_one("#import-problems", DataTable))
        assert problems[0].startswith("5 已导入·见备注 生日：1990-02-30")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ImportScreen)

        # The same file again: everybody is known, so nobody is added twice.
        screen = await open_import(pilot)
        await choose(pilot, screen, source)
        summary = shown(screen, "#import-summary")
        assert "新客户 0 位" in summary and "重复 8 行（将跳过）" in summary
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.stage == "preview"
        assert any("没有要写入的客户" in str(n.message) for n in app._notifications)
        # Merging them instead fills in what they lack, still without a second copy.
        await pilot.press("d")
        await settle(pilot)
        assert "重复 8 行（将合并进已有客户）" in shown(screen, "#import-summary")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.stage == "done" and "合并 8 行" in shown(screen, "#import-summary")
        assert count(db.path) == 7


async def test_the_customer_list_shows_the_new_customers(db, tmp_path: Path) -> None:
    workbook = sample(tmp_path, "customers.xlsx")
    more = excel_csv(tmp_path / "more.csv", [["姓名", "手机"], ["孙丽华", "13905101234"]])
    app = KequApp(db.path)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("2")  # the list is read once, while still empty
        await settle(pilot)
        app.screen.query_one("#customers", DataTable).focus()
        await pilot.press("1")
        screen = await open_import(pilot)
        await choose(pilot, screen, workbook)
        assert "Excel 工作簿" in shown(screen, "#import-file")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        customers = app.screen.query_one("#customers", DataTable)
        assert len(rows_of(customers)) == 6
        # Imported from the list itself, the list reloads where it is.
        customers.focus()
        screen = await open_import(pilot)
        await choose(pilot, screen, more)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert any("孙丽华" in row for row in rows_of(app.screen.query_one("#customers", DataTable)))


async def test_contact_cards_show_their_fixed_fields(db, tmp_path: Path) -> None:
    source = sample(tmp_path, "contacts.vcf")
    app = KequApp(db.path)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_import(pilot)
        await choose(pilot, screen, source)
        assert "手机通讯录" in shown(screen, "#import-file")
        columns = rows_of(screen.query_one("#import-columns", DataTable))
        # Fields named as kequ names them, not as vCard properties (FN, TEL).
        assert columns[0].startswith("姓名 姓名 孙丽华 周建华") and not any(c.startswith("TEL") for c in columns)
        await pilot.press("enter")  # the fields of a card are not the user's to change
        await pilot.pause()
        assert not isinstance(app.screen, FieldPrompt)
        # The card with only a number is named after it, with a warning.
        summary = shown(screen, "#import-summary")
        assert "共 3 张名片" in summary and "新客户 3 位" in summary and "有提示 1 张名片" in summary


async def test_a_full_export_goes_back_into_an_empty_database_only(demo_db, tmp_path: Path) -> None:
    from kequ.exchange.export import export_to_file
    from kequ.storage.database import open_database

    export = Path(export_to_file(demo_db, "json", tmp_path / "全部.json").path)
    people = count(demo_db.path)
    app = KequApp(demo_db.path)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_import(pilot)
        await choose(pilot, screen, export)
        assert screen.stage == "pick" and "只能导入到空数据库" in shown(screen, "#import-message")
    (tmp_path / "new").mkdir()
    empty = open_database(str(tmp_path / "new" / "kequ.db"))
    app = KequApp(empty.path)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_import(pilot)
        await choose(pilot, screen, export)
        assert f"{people} 位客户" in shown(screen, "#import-summary")
        assert not screen.query_one("#import-columns", DataTable).display
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.stage == "done" and screen.query_one("#import-bar", ProgressBar).percentage == 1.0
    assert count(empty.path) == people


async def test_bad_files_give_a_message_and_change_nothing(db, tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    picture = folder / "客户.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    document = folder / "名单.docx"
    document.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    before = table_dump(db.path)
    app = KequApp(db.path)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_import(pilot)
        await choose(pilot, screen, folder / "没有这个文件.csv")
        assert screen.stage == "pick" and "找不到文件" in shown(screen, "#import-message")
        await choose(pilot, screen, picture)
        assert "不是文本表格" in shown(screen, "#import-message")
        await choose(pilot, screen, document)
        assert "不能导入 .docx 文件" in shown(screen, "#import-message")
        await choose(pilot, screen, "   ")
        assert "请先输入文件路径" in shown(screen, "#import-message")
        await choose(pilot, screen, folder)
        assert "是文件夹" in shown(screen, "#import-message")
        assert screen.query_one("#import-tree").path == folder
        assert screen.stage == "pick"
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ImportScreen)
    assert table_dump(db.path) == before


async def test_the_folder_tree_offers_only_files_it_can_import(db, tmp_path: Path) -> None:
    folder = tmp_path / "files"
    (folder / "子文件夹").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    excel_csv(folder / "名单.csv", [["姓名", "手机"], ["王建国", "13912345678"]])
    (folder / "照片.jpg").write_bytes(b"\xff\xd8\xff")
    app = KequApp(db.path)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = ImportScreen(start=folder)
        app.push_screen(screen)
        await settle(pilot)
        tree = screen.query_one("#import-tree")
        names = sorted(str(node.label) for node in tree.root.children)
        assert names == ["名单.csv", "子文件夹"]
        tree.focus()
        tree.move_cursor(next(node for node in tree.root.children if str(node.label) == "名单.csv"))
        await pilot.press("enter")
        await settle(pilot)
        assert screen.stage == "preview"
        assert screen.query_one("#import-path", Input).value == str(folder / "名单.csv")


def big_csv(folder: Path, customers: int) -> Path:
    """A spreadsheet export of many customers in one city, for imports that take a while."""
    rows = [["姓名", "手机", "城市"]] + [[f"客户{i}", f"139{i:08d}", "苏州"] for i in range(customers)]
    return excel_csv(folder / "big.csv", rows)


async def test_the_progress_bar_follows_the_import_to_the_end(db, tmp_path: Path) -> None:
    source = big_csv(tmp_path, 1200)
    app = KequApp(db.path)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_import(pilot)
        await choose(pilot, screen, source)
        seen: list[tuple[str, float]] = []
        bar = screen.query_one("#import-bar", ProgressBar)
        show = screen.show_progress

        def record(phase: str, done: int, total: int | None) -> None:
            show(phase, done, total)
            seen.append((phase, bar.progress))

        screen.show_progress = record  # type: ignore[method-assign]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count(db.path) == 1200
        phases = [phase for phase, _ in seen]
        assert "read" in phases and "write" in phases
        values = [value for _, value in seen]
        assert values == sorted(values) and len(set(values)) > 2
        assert bar.percentage == 1.0


async def test_escape_stops_an_import_half_way_and_nothing_is_written(db, tmp_path: Path) -> None:
    source = big_csv(tmp_path, 5000)
    app = KequApp(db.path)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_import(pilot)
        await choose(pilot, screen, source)
        show = screen.show_progress
        stopped_at: list[int] = []

        def stop_once_writing(phase: str, done: int, total: int | None) -> None:
            show(phase, done, total)
            if phase == "write" and not stopped_at:
                stopped_at.append(done)
                screen.action_back()  # what Escape does, here while the first rows are in

        screen.show_progress = stop_once_writing  # type: ignore[method-assign]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert 0 < stopped_at[0] < 5000
        assert screen.stage == "preview"
        assert count(db.path) == 0  # the rows already inserted were rolled back
        assert "已停止导入" in shown(screen, "#import-summary")
        # The same preview imports when asked again, and n then offers another file.
        screen.show_progress = show  # type: ignore[method-assign]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.stage == "done" and count(db.path) == 5000
        await pilot.press("n")
        await settle(pilot)
        assert screen.stage == "pick"
        path = screen.query_one("#import-path", Input)
        assert path.has_focus and path.value == ""


def test_import_preview_snapshot(db, tmp_path: Path, snap_compare) -> None:
    source = sample(tmp_path)
    app = KequApp(db.path)

    async def go(pilot) -> None:
        screen = await open_import(pilot)
        await choose(pilot, screen, source)

    assert snap_compare(app, terminal_size=(140, 42), run_before=go)


async def test_the_preview_names_the_sheet_and_lists_warnings_and_skipped_rows_apart(db, tmp_path: Path) -> None:
    corpus = Path(__file__).resolve().parents[1] / "exchange" / "corpus" / "sheets"
    app = KequApp(db.path)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_import(pilot)
        await choose(pilot, screen, corpus / "excel.xlsx")
        assert "工作表：客户名单（共 2 个）" in shown(screen, "#import-file")
        problems = rows_of(screen.query_one("#import-problems", DataTable))
        assert problems == [problems[0]] and problems[0].startswith("4 将导入·见备注 手机：912345678")
        await pilot.press("escape")
        await settle(pilot)
        screen = await open_import(pilot)
        await choose(pilot, screen, corpus / "wechat-contacts.csv")
        problems = rows_of(screen.query_one("#import-problems", DataTable))
        assert problems[0].startswith("4 跳过 类型（好友/群聊）：华东经销商群 群聊不是联系人")
        assert problems[1].startswith("5 跳过 类型（好友/群聊）：某某物流服务号 公众号不是联系人")
        assert "新客户 2 位" in shown(screen, "#import-summary")


@pytest.fixture
def release_dry_run(monkeypatch) -> threading.Event:
    """The screen's dry run waits until this event is set: what a big file and a big book
    make it do for seconds."""
    from kequ.ui.screens.importer import importer

    release = threading.Event()
    real = importer.dry_run

    def held(*args, **kwargs):  # type: ignore[no-untyped-def]
        assert release.wait(30), "the test never let the dry run go"
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "dry_run", held)
    return release


async def until(pilot, ready) -> None:  # type: ignore[no-untyped-def]
    for _ in range(500):
        if ready():
            return
        await pilot.pause(0.01)
    raise AssertionError("the screen never got there")


async def choose_sample(pilot, tmp_path: Path) -> ImportScreen:
    """Open the import and choose the sample file, without waiting for its check."""
    screen = await open_import(pilot)
    await choose(pilot, screen, sample(tmp_path), wait=False)
    return screen


async def test_the_columns_show_before_the_dry_run_ends_and_the_import_waits_for_it(
    db, tmp_path: Path, release_dry_run: threading.Event
) -> None:
    async with KequApp(db.path).run_test(size=(160, 45)) as pilot:
        screen = await choose_sample(pilot, tmp_path)
        columns = screen.query_one("#import-columns", DataTable)
        await until(pilot, lambda: columns.row_count > 0)
        # The columns, what each becomes and the first rows, while the rows are still being checked.
        assert screen.stage == "checking"
        assert rows_of(columns)[0].startswith("姓名 姓名 王建国 李娜")
        assert "customers-gbk.csv" in shown(screen, "#import-file")
        assert "正在检查每一行" in shown(screen, "#import-summary")
        assert "共 8 行" not in shown(screen, "#import-summary")
        assert screen.query_one("#import-problems", DataTable).row_count == 0
        # The import waits for the check: its key is shown dimmed, and pressing it does nothing.
        assert screen.check_action("start", ()) is None
        await pilot.press("ctrl+s")
        await pilot.pause(0.05)
        assert screen.stage == "checking" and count(db.path) == 0
        release_dry_run.set()
        await settle(pilot)
        # The counts and the problems fill in; now the import may start.
        assert screen.stage == "preview"
        summary = shown(screen, "#import-summary")
        assert "共 8 行" in summary and "新客户 7 位" in summary and "重复 1 行（将跳过）" in summary
        problems = rows_of(screen.query_one("#import-problems", DataTable))
        assert problems[0].startswith("5 将导入·见备注 生日：1990-02-30")
        assert screen.check_action("start", ()) is True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.stage == "done" and count(db.path) == 7


async def test_escape_while_the_rows_are_checked_goes_back_and_drops_the_check(
    db, tmp_path: Path, release_dry_run: threading.Event
) -> None:
    async with KequApp(db.path).run_test(size=(160, 45)) as pilot:
        screen = await choose_sample(pilot, tmp_path)
        await until(pilot, lambda: screen.stage == "checking")
        await pilot.press("escape")
        assert screen.stage == "pick" and screen.preview is None
        release_dry_run.set()
        await settle(pilot)
        # The check that ended after the user left shows nothing: the chooser stays.
        assert screen.stage == "pick"
        assert screen.query_one("#import-steps").current == "import-pick"
        assert count(db.path) == 0
