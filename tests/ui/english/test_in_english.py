"""The screens as an English-speaking user sees them: run by a pytest started with
KEQU_LANG=en (tests/ui/test_today_screen.py starts it), since key labels are read when the
screens are imported. Update with: KEQU_LANG=en pytest tests/ui/english --snapshot-update"""

from __future__ import annotations

import os

import pytest

from kequ.i18n import set_language
from kequ.ui.app import KequApp
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import settle

# Read at import, before the test fixtures clear KEQU_LANG.
pytestmark = pytest.mark.skipif(os.environ.get("KEQU_LANG") != "en", reason="needs a pytest started with KEQU_LANG=en")


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
def test_today_in_english(demo_db, snap_compare, size: tuple[int, int]) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    assert snap_compare(app, terminal_size=size, run_before=settle)
