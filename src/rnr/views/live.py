"""Show a figure as it changes: a window on screen, or inline in Jupyter."""

from __future__ import annotations

import sys


def in_notebook() -> bool:
    return "ipykernel" in sys.modules


def screen_available() -> bool:
    """True when matplotlib can open a window here (or we run in Jupyter)."""
    if in_notebook():
        return True
    import matplotlib

    return matplotlib.get_backend().lower() not in ("agg", "pdf", "ps", "svg", "cairo", "template")


class LiveFigure:
    """Wraps a matplotlib figure; ``refresh()`` after drawing into it."""

    def __init__(self, fig):
        self.fig = fig
        self.notebook = in_notebook()
        self.handle = None
        if self.notebook:
            import matplotlib.pyplot as plt

            plt.close(fig)  # shown through the display handle only, not again at the cell's end
        else:
            import matplotlib.pyplot as plt

            plt.ion()
            fig.show()

    def refresh(self):
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
