"""``kequ remind --install`` / ``--uninstall``: write (or remove) the scheduler's files and run
its commands, as kequ.domain.reminder_schedule plans them; ``dry_run`` only says what."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kequ.domain.reminder_schedule import InstallPlan
from kequ.errors import KequError
from kequ.storage.files import write_private

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


@dataclass
class InstallResult:
    plan: InstallPlan
    ran: list[list[str]] = field(default_factory=list)
    dry_run: bool = False


def _run(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), capture_output=True, text=True, timeout=60, check=False)


def carry_out(
    plan: InstallPlan, *, uninstall: bool = False, dry_run: bool = False, run: Runner = _run
) -> InstallResult:
    result = InstallResult(plan, dry_run=dry_run)
    if dry_run:
        return result
    if not uninstall:
        for planned in plan.files:
            path = Path(planned.path)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_private(path, lambda out, planned=planned: out.write(planned.content))
    for command in plan.commands:
        _checked(command, plan, run)
        result.ran.append(list(command))
    if uninstall:
        for planned in plan.files:
            Path(planned.path).unlink(missing_ok=True)
        for command in plan.after:
            _checked(command, plan, run)
            result.ran.append(list(command))
    return result


def _checked(command: Sequence[str], plan: InstallPlan, run: Runner) -> None:
    try:
        done = run(command)
    except (OSError, subprocess.TimeoutExpired) as problem:
        if tuple(command) in plan.may_fail:
            return
        raise KequError("remind.install_failed", command=" ".join(command), why=str(problem)) from None
    if done.returncode != 0 and tuple(command) not in plan.may_fail:
        why = (done.stderr or done.stdout or "").strip().splitlines()
        raise KequError("remind.install_failed", command=" ".join(command), why=why[-1] if why else done.returncode)
