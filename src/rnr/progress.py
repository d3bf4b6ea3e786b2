"""Progress of a training run, the same for every command: a bar on a
terminal, log lines elsewhere.

On a terminal (the stream, stderr by default, is a TTY) one bar shows the
fraction done, the units done of the total, the mean loss, the rate and the
time left. Anywhere else (a log file, a pipe, a notebook) one line every
``every`` units says the same on stdout, with the other log lines:

    1,000/6,660 windows: loss 1.2345, 69,257 windows/s, 0:04 left

The rate is counted from this invocation's start over training time only
(compiling is timed apart), so it is right after a resume. The time left is
the units still to train at that rate, plus ``pending`` seconds of work
that does not scale with the units (a sweep's groups not yet compiled), or
the time budget left, whichever ends first. The fraction done is the larger
of units done / total and time spent / budget, so a run limited only by
``--time-budget`` has a bar and an ETA too.

``per_epoch``: lines are per epoch ("Epoch 3: mean loss ..."), and
``epoch_line(epoch)`` says which epochs get one (``rnr eco`` prints the
tutorial's own lines for its first and last epochs instead).

Every word and number is in the reader's language (``rnr.i18n``).
"""

from __future__ import annotations

import math
import sys
import time

from rnr.i18n import text


def clock(seconds: float) -> str:
    """m:ss, or h:mm:ss from an hour up."""
    seconds = int(max(0, round(seconds)))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


_clock = clock

BAR_STEPS = 1000  # the bar counts thousandths of the run


class Progress:
    def __init__(self, lang: str = "en", quiet: bool = False, every: int = 100, unit: str = "windows",
                 stream=None, lines: bool = True, per_epoch: int | None = None, epoch_line=None,
                 refresh_seconds: float = 0.1):
        """``lines=False``: no progress lines off a terminal (a command that
        prints all its own lines); ``quiet``: nothing at all;
        ``refresh_seconds``: the bar is redrawn at most this often."""
        self.refresh_seconds = refresh_seconds
        self.lang, self.quiet, self.every, self.lines = lang, quiet, max(1, every), lines
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.unit = unit
        self.per_epoch, self.epoch_line = per_epoch, epoch_line
        if per_epoch:
            self.every = per_epoch
        self.bar = None
        self.step0, self.total, self.budget = 0, None, math.inf

    # ------------------------------------------------------------ numbers

    def start(self, step: int, total: int | None, budget_seconds: float) -> None:
        self.step0, self.total, self.budget = step, total, budget_seconds
        self.last_line = self.last_step = step
        self.loss_sum, self.loss_n = 0.0, 0
        self.t0 = time.perf_counter()
        if self.quiet or not self.tty:
            return
        from tqdm import tqdm

        known = self.total is not None or self.budget != math.inf
        fmt = "{percentage:3.0f}% |{bar}| {desc}" if known else "{desc}"  # desc: rnr's own words
        self.bar = tqdm(total=BAR_STEPS if known else None, initial=0, file=self.stream, leave=False,
                        dynamic_ncols=True, bar_format=fmt, mininterval=self.refresh_seconds)

    def eta(self, step: int, seconds: float, pending: float = 0.0) -> float | None:
        """Seconds left: the units to the limit at the current rate (plus
        ``pending``), or the time budget left, whichever ends first."""
        left = []
        done = step - self.step0
        if self.total is not None and done > 0 and seconds > 0:
            left.append(max(0, self.total - step) * seconds / done + pending)
        if self.budget != math.inf:
            left.append(max(0.0, self.budget - seconds))
        return min(left) if left else None

    def fraction(self, step: int, seconds: float) -> float:
        """How much of the run is done, 0 to 1 (units, or time against the budget)."""
        parts = [0.0]
        if self.total:
            parts.append(step / self.total)
        if self.budget != math.inf and self.budget > 0:
            parts.append(seconds / self.budget)
        return min(1.0, max(parts))

    def _fields(self, step, loss, seconds, pending):
        rate = (step - self.step0) / seconds if seconds > 0 else 0.0
        eta = self.eta(step, seconds, pending)
        unit = text("unit_" + self.unit, self.lang)
        left = text("progress_left", self.lang, clock=clock(eta)) if eta is not None else ""
        return dict(loss=loss, rate=rate, unit=unit, left=left)

    # ------------------------------------------------------------ display

    def update(self, step: int, loss: float, seconds: float, pending: float = 0.0) -> None:
        """After a compiled call: ``step`` units done in the whole run, ``loss``
        the mean loss of the units since the last call, ``seconds`` of
        training in this invocation, ``pending`` seconds of other work left."""
        if self.quiet:
            return
        if math.isfinite(loss):
            self.loss_sum += loss * max(1, step - self.last_step)
            self.loss_n += max(1, step - self.last_step)
        self.last_step = step
        if self.bar is not None:
            f = self._fields(step, loss, seconds, pending)
            of = text("progress_of", self.lang, total=self.total) if self.total else ""
            self.bar.set_description_str(text("progress_bar", self.lang, step=step, of=of, **f), refresh=False)
            if self.bar.total:
                self.bar.update(int(BAR_STEPS * self.fraction(step, seconds)) - self.bar.n)
            else:
                self.bar.refresh()
            return
        if not self.lines or step // self.every <= self.last_line // self.every:
            return
        mean = self.loss_sum / self.loss_n if self.loss_n else loss
        self.last_line, self.loss_sum, self.loss_n = step, 0.0, 0
        f = self._fields(step, mean, seconds, pending)
        if self.per_epoch:
            epoch = step // self.per_epoch - 1  # the epoch just finished, counted from 0 as the tutorial does
            if self.epoch_line is not None and not self.epoch_line(epoch):
                return
            epochs = self.total // self.per_epoch if self.total else None
            of = text("progress_of", self.lang, total=epochs) if epochs else ""
            line = text("progress_epoch", self.lang, epoch=epoch, done=epoch + 1, of=of, **f)
        else:
            of = text("progress_of", self.lang, total=self.total) if self.total else ""
            line = text("progress_line", self.lang, step=step, of=of, **f)
        print(line, flush=True)

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
