"""``kequw``: kequ with no console window, the gui-script (pythonw) the Windows task runs.

pythonw gives such a process no stdout nor stderr: what kequ would print goes nowhere
instead of failing, and the exit code is kequ's own.
"""

from __future__ import annotations

import os
import sys


def windowless() -> int:
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - for the process's life
    from kequ.cli.main import main

    return main()
