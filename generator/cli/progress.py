"""A tiny progress bar for the command line (no dependency): `Progress(total)(done, total, label)`.

Writes to stderr; on a terminal it redraws one line, otherwise it prints every tenth step.
"""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, label: str = "", stream=None, width: int = 30):
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.start = time.perf_counter()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, done: int, total: int, item: str = "") -> None:
        filled = int(self.width * done / max(total, 1))
        elapsed = time.perf_counter() - self.start
        line = (f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} "
                f"{elapsed:.1f}s")
        if self.tty:
            self.stream.write("\r" + line + (" " * 10) + ("\n" if done >= total else ""))
        elif done == total or done % max(total // 10, 1) == 0:
            self.stream.write(line + "\n")
        self.stream.flush()
