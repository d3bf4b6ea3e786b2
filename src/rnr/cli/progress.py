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

A terminal that reports no width (0 columns: some containers and CI
runners) gets the log lines, not a bar it cannot show.

Printing never stops a run: ``say`` prints a line on stdout, and when the
reader has left (``rnr eco | head``: a closed pipe) or stdout is closed,
``quiet_stdout`` points stdout at os.devnull and training goes on; the run
folder ends complete, with its summary and figures.
"""

from __future__ import annotations

import errno
import math
import os
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
MIN_COLUMNS = 20  # a terminal narrower than this gets log lines


# ------------------------------------------------------------ stdout that may go away

def stdout_gone(e: BaseException) -> bool:
    """Is ``e`` the sign that stdout's reader left (a closed pipe) or that
    stdout is closed, rather than a real error?"""
    if isinstance(e, BrokenPipeError) or (isinstance(e, OSError) and e.errno == errno.EPIPE):
        return True
    if isinstance(e, OSError) and e.errno == errno.EBADF:
        return _stdout_closed()
    if isinstance(e, ValueError) and "closed file" in str(e):
        return _stdout_closed()
    return False


def _stdout_closed() -> bool:
    out = sys.stdout
    if out is None or getattr(out, "closed", False):
        return True
    import io

    try:
        os.fstat(out.fileno())
    except io.UnsupportedOperation:  # a stream without a file (io.StringIO): not closed
        return False
    except (OSError, ValueError, AttributeError):
        return True
    return False


def quiet_stdout() -> None:
    """From now on, stdout goes to os.devnull (the reader left): its file
    descriptor when it has one, so the lines still buffered leave quietly at
    exit too, else the ``sys.stdout`` object."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, sys.stdout.fileno())
        finally:
            os.close(null)
    except Exception:  # closed, or no file descriptor
        sys.stdout = open(os.devnull, "w")


def say(line: str) -> None:
    """``print(line)`` on stdout, flushed; a reader that left, or a closed
    stdout, silences stdout instead of stopping the caller."""
    try:
        print(line, flush=True)
    except (OSError, ValueError) as e:
        if not stdout_gone(e):
            raise
        quiet_stdout()


def report_end(summary: str, out, lang: str, interrupted: bool, resume_hint: str | None = None) -> int:
    """A training command's last lines: its summary and folder on stdout and,
    when Ctrl-C stopped it, that and how to resume on stderr; returns the
    exit code (130 after Ctrl-C, as a shell reports SIGINT)."""
    say(summary)
    say(text("saved_to", lang, path=out))
    if not interrupted:
        return 0
    print(text("interrupted", lang, path=out), file=sys.stderr)
    if resume_hint:
        print(text(resume_hint, lang, path=out), file=sys.stderr)
    return 130


def guard_streams() -> None:
    """Standard streams closed when rnr started (``rnr ... >&-``) become
    os.devnull: nothing printed fails, and no file rnr opens later takes
    their file descriptor (where a library's own output would land)."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):  # the lowest first: os.open takes it
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDONLY if fd == 0 else os.O_WRONLY)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            if fd:
                setattr(sys, name, open(fd, "w", closefd=False))
        else:
            if fd and getattr(sys, name) is None:
                setattr(sys, name, open(os.devnull, "w"))


def columns(stream) -> int | None:
    """The width of the terminal ``stream`` shows on (None: not known)."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except Exception:
        return None


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
        width = columns(self.stream) if self.tty else None
        if width is not None and width < MIN_COLUMNS:  # a terminal with no room for a bar: log lines
            self.tty = False
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
        say(line)

    def write(self, line: str) -> None:
        """Print a line to stdout without breaking the bar."""
        if self.quiet:
            return
        if self.bar is not None:
            try:
                self.bar.write(line, file=sys.stdout)
            except (OSError, ValueError) as e:
                if not stdout_gone(e):
                    raise
                quiet_stdout()
        else:
            say(line)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
