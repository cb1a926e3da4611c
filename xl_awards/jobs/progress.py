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


def each(items: Sequence[T] | Iterable[T], what: str, total: int | None = None) -> Iterator[T]:
    """Yield ``items``, drawing ``what 3/10 文件名`` on stderr while enabled."""
    if not _enabled:
        yield from items
        return
    from tqdm import tqdm

    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with tqdm(total=total, desc=what, unit="个", file=sys.stderr, leave=False, dynamic_ncols=True,
              bar_format="{desc} {n_fmt}/{total_fmt} |{bar}| {elapsed} {postfix}") as bar:
        for item in items:
            bar.set_postfix_str(_label(item), refresh=False)
            yield item
            bar.update(1)


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
