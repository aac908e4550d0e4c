"""What kequ leaves behind when its own code fails: a report for the maintainer that holds
where the code failed and nothing of the customer's.

The exception's message and the frames' local variables are left out on purpose: database
errors quote the row being written, and a traceback with locals shows names, phones and
notes. KEQU_DEBUG=1 shows everything instead, on the developer's own machine.
"""

from __future__ import annotations

import os
import sys
import traceback

from kequ.storage import clock


def report_lines(error: BaseException) -> list[str]:
    from kequ import __version__

    lines = [f"kequ {__version__}, Python {sys.version.split()[0]}, {sys.platform}", type(error).__qualname__]
    frames = traceback.extract_tb(error.__traceback__)
    lines += [f"  {frame.filename}:{frame.lineno} in {frame.name}" for frame in frames]
    return lines


def write_crash_report(error: BaseException) -> str:
    """The report's path, or "-" when not even that could be written."""
    from kequ.paths import log_dir

    folder = log_dir()
    stamp = clock.local_now().strftime("%Y%m%d-%H%M%S-%f")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Two crashes in the same instant get a report each.
        for attempt in range(100):
            target = folder / (f"crash-{stamp}.txt" if attempt == 0 else f"crash-{stamp}-{attempt}.txt")
            try:
                fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write("\n".join(report_lines(error)) + "\n")
            return str(target)
    except OSError:
        pass
    return "-"
