"""The last line of each hub command's summary: what the clerk does next (texts in ``messages.NEXT_STEPS``)."""

from __future__ import annotations

from pathlib import Path

from xl_awards.base.messages import NEXT_STEPS


def shell_arg(path: str | Path) -> str:
    """A path as the clerk would type it again: quoted when it holds spaces or shell characters."""
    text = str(path)
    if text and not any(ch in text for ch in " \t\"'&;|()<>$`*?[]"):
        return text
    return '"' + text.replace('"', '\\"') + '"'


def next_step(key: str, hub: str | Path, **values) -> str:
    """``NEXT_STEPS[key]`` filled in with the hub's path (quoted where needed) and ``values``."""
    return NEXT_STEPS[key].format(hub=shell_arg(hub), **values)
