"""Whether a second process may share the work (the importer's twin, the deck parser's child)."""

from __future__ import annotations

import os
import sys
import threading


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Fork only where it is cheap and safe and pays: Linux, more than one core, and no other
    thread (which might hold a lock the child would need, e.g. once the app runs)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1 and cores() > 1
