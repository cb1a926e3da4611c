"""Progress of long work on standard error: files done of total and the current file (tqdm).

Shown only when standard error is a terminal, and never with ``--json`` or ``--quiet``: output
that is redirected, read by another program or asked to be quiet stays exactly as it was.  The
command line sets the switch once (``configure``); a job wraps its loop over files in
``each(items, what)``, which yields the items unchanged, and names the current one with
``bar.name(text)`` when it wants.  A button (no terminal) never shows anything.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Sequence, TypeVar

T = TypeVar("T")

_enabled = False


def configure(*, quiet: bool = False, json_output: bool = False, stream=None) -> None:
    """Called by the command line for every command: progress on when stderr is a terminal."""
    global _enabled
    stream = stream if stream is not None else sys.stderr
    _enabled = bool(not quiet and not json_output and getattr(stream, "isatty", lambda: False)())


def enabled() -> bool:
    return _enabled


def _label(item) -> str:
    return Path(item).name if isinstance(item, (str, Path)) else str(item)


def _width() -> int | None:
    """The terminal's width, or ``None`` when it reports none (a fresh pseudo-terminal says 0 x 0,
    and tqdm draws nothing on a terminal of no size)."""
    import os

    try:
        columns = os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return None
    return columns or None


def each(items: Sequence[T] | Iterable[T], what: str, total: int | None = None) -> Iterator[T]:
    """Yield ``items``, drawing ``what 3/10 |...| 文件名`` on stderr while enabled.

    The name is the item being worked on (drawn before it is yielded), the count the items done.
    """
    if not _enabled:
        yield from items
        return
    from tqdm import tqdm

    class Bar(tqdm):
        current = ""

        @property
        def format_dict(self):
            return {**super().format_dict, "current": self.current}

    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    width = _width()
    with Bar(total=total, desc=what, unit="个", file=sys.stderr, leave=False,
             dynamic_ncols=width is not None, ncols=None if width is not None else 100,
             nrows=None if width is not None else 24,
             bar_format="{desc} {n_fmt}/{total_fmt} |{bar}| {elapsed} {current}") as bar:
        for item in items:
            bar.current = _label(item)
            bar.refresh()
            yield item
            bar.update(1)
        bar.current = ""
        bar.refresh()  # the last count, even when the last item took less than tqdm's redraw interval


@contextmanager
def step(what: str) -> Iterator[None]:
    """One long step without a count (e.g. rewriting the hub): its name while it runs."""
    if not _enabled:
        yield
        return
    print(f"{what}……", end="\r", file=sys.stderr, flush=True)
    try:
        yield
    finally:
        print(" " * (len(what) * 2 + 4), end="\r", file=sys.stderr, flush=True)
