"""Show a figure as it changes: a window on screen, or inline in Jupyter.

Drawing costs far more than training here (a 2x3 figure is about 0.1-1 s to
render as a PNG; the echo RNN trains 100 windows in milliseconds), so
``refresh`` draws only when enough time has passed since the last drawing:
at least ``every`` seconds, and at least 4 times as long as that drawing took,
so drawing never takes more than about a fifth of the time. The updates it
skips are not lost: the figure's artists hold the latest state, and the next
drawing, ``flush()``, or (in Jupyter) the end of the cell shows it.
"""

from __future__ import annotations

import sys
import time

NOTEBOOK_SECONDS = 2.0  # between inline drawings (each is a PNG sent to the browser)
SCREEN_SECONDS = 0.2  # between redraws of a window
DRAW_SHARE = 4.0  # wait at least this many times as long as the last drawing took


def in_notebook() -> bool:
    return "ipykernel" in sys.modules


def screen_available() -> bool:
    """True when matplotlib can open a window here (or we run in Jupyter)."""
    if in_notebook():
        return True
    import matplotlib

    return matplotlib.get_backend().lower() not in ("agg", "pdf", "ps", "svg", "cairo", "template")


class LiveFigure:
    """Wraps a matplotlib figure; ``refresh()`` after drawing into it,
    ``flush()`` to show the latest state now (Jupyter does it at the end of
    the cell). ``every``: the least seconds between drawings (default 2 in
    Jupyter, 0.2 in a window)."""

    def __init__(self, fig, every: float | None = None):
        self.fig = fig
        self.notebook = in_notebook()
        self.handle = None
        self.every = (NOTEBOOK_SECONDS if self.notebook else SCREEN_SECONDS) if every is None else every
        self.next_at = 0.0  # time.monotonic() from which the next drawing may happen
        self.pending = False
        self.draws = 0
        import matplotlib.pyplot as plt

        if self.notebook:
            plt.close(fig)  # shown through the display handle only, not again at the cell's end
            self._at_cell_end()
        else:
            plt.ion()
            fig.show()

    def refresh(self, force: bool = False):
        """Draw the figure if enough time has passed (or ``force``), else
        remember that it changed."""
        if not force and time.monotonic() < self.next_at:
            self.pending = True
            if not self.notebook:
                self.fig.canvas.draw_idle()  # drawn by the next event loop run (a pause, plt.show)
            return
        start = time.monotonic()
        self._draw()
        took = time.monotonic() - start
        self.next_at = time.monotonic() + max(self.every, DRAW_SHARE * took)
        self.pending = False

    def flush(self):
        """Show the latest state if a refresh was skipped since the last drawing."""
        if self.pending:
            self.refresh(force=True)

    def _draw(self):
        self.draws += 1
        if self.notebook:
            from IPython.display import display

            if self.handle is None:
                self.handle = display(self.fig, display_id=True)
            else:
                self.handle.update(self.fig)
        else:
            import matplotlib.pyplot as plt

            self.fig.canvas.draw_idle()
            plt.pause(0.001)

    def _at_cell_end(self):
        """In Jupyter, draw the last skipped update when the cell finishes."""
        try:
            from IPython import get_ipython
        except ImportError:
            return
        ip = get_ipython()
        if ip is None:
            return

        def done(*_):
            ip.events.unregister("post_run_cell", done)
            self.flush()

        ip.events.register("post_run_cell", done)
