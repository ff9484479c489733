"""Progress for console commands that can take more than a few seconds.

A bar from tqdm on a terminal; nothing at all when the output is not a terminal (CI logs, cron,
a pipe), so logs hold only the command's own summary lines. Commands write their results to
stdout; the bar goes to stderr, so `lantern ... > file` still shows it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from tqdm import tqdm


def progress[T](
    iterable: Iterable[T], *, desc: str, total: int | None = None, unit: str = "step", file=None
) -> Iterator[T]:
    """Iterate with a progress bar (quiet when `file`, stderr by default, is not a terminal)."""
    return iter(
        tqdm(
            iterable,
            desc=desc,
            total=total,
            unit=unit,
            file=file or sys.stderr,
            disable=None,  # tqdm's own rule: off when the stream is not a terminal
            leave=False,
            dynamic_ncols=True,
        )
    )


@contextmanager
def stages(names: list[str], *, desc: str, file=None):
    """A bar over named stages: `with stages([...]) as step: step("reading"); ...`."""
    bar = tqdm(
        total=len(names),
        desc=desc,
        unit="stage",
        file=file or sys.stderr,
        disable=None,
        leave=False,
        dynamic_ncols=True,
    )
    started = False

    def step(name: str) -> None:
        nonlocal started
        if started:
            bar.update(1)
        started = True
        bar.set_postfix_str(name)

    try:
        yield step
        if started:
            bar.update(1)
    finally:
        bar.close()
