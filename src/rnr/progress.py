"""Progress of a training run: a bar on a terminal, lines in a log.

On a terminal (stderr is a TTY) a tqdm bar shows windows done, the rate
(counted from this invocation's start, so it is right after a resume), the
loss and an ETA whenever a limit is known (a window count, or the time
budget). Otherwise, as in a log file or a notebook, one line every
``every`` windows says the same on stdout, with the other log lines.
"""

from __future__ import annotations

import sys
import time

from rnr.i18n import text


def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    def __init__(self, lang: str = "en", quiet: bool = False, every: int = 100, unit: str = "windows",
                 stream=None, lines: bool = True):
        """``lines=False``: no progress lines off a terminal (for a command
        that prints its own log lines, as ``rnr eco`` prints the tutorial's)."""
        self.lang, self.quiet, self.every, self.lines = lang, quiet, max(1, every), lines
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.unit = unit
        self.bar = None

    def start(self, step: int, total: int | None, budget_seconds: float) -> None:
        self.step0, self.total, self.budget = step, total, budget_seconds
        self.last_line = step
        self.t0 = time.perf_counter()
        if self.quiet or not self.tty:
            return
        from tqdm import tqdm

        self.bar = tqdm(total=total, initial=step, unit=" " + text("unit_" + self.unit, self.lang),
                        file=self.stream, leave=False, dynamic_ncols=True)

    def eta(self, step: int, seconds: float) -> float | None:
        """Seconds left: to the window limit at the current rate, or to the time budget."""
        left = []
        done = step - self.step0
        if self.total is not None and done > 0 and seconds > 0:
            left.append((self.total - step) * seconds / done)
        if self.budget != float("inf"):
            left.append(self.budget - seconds)
        return min(left) if left else None

    def update(self, step: int, loss: float, seconds: float) -> None:
        if self.quiet:
            return
        eta = self.eta(step, seconds)
        rate = (step - self.step0) / seconds if seconds > 0 else 0.0
        if self.bar is not None:
            self.bar.update(step - self.bar.n)
            post = {"loss": f"{loss:.4f}"}
            if eta is not None and self.total is None:
                post["left"] = _clock(eta)
            self.bar.set_postfix(post, refresh=False)
            return
        if self.lines and step // self.every > self.last_line // self.every:
            self.last_line = step
            of = f"/{self.total}" if self.total else ""
            left = text("progress_left", self.lang, clock=_clock(eta)) if eta is not None else ""
            print(text("progress_line", self.lang, step=step, of=of, loss=loss, rate=rate,
                       unit=text("unit_" + self.unit, self.lang), left=left), flush=True)

    def write(self, line: str) -> None:
        """Print a line to stdout without breaking the bar."""
        if self.quiet:
            return
        if self.bar is not None:
            self.bar.write(line, file=sys.stdout)
        else:
            print(line, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
