"""Recurrent cells, one file each, all with the same interface:

    init(key, n_in, n_hidden, scheme="torch", **options) -> params
    inputs(params, x) -> u            the input half of every pre-activation
    step(params, carry, u, trace=False) -> (carry, out)
    zeros(batch_shape, n_hidden) -> carry

``out`` is the hidden state h, or with ``trace=True`` a dict of every gate
and state named in the cell's ``TRACED``. Look in ``lstm.py`` for the forget
gate, ``gru.py`` for the reset gate, ``rnn.py`` for the tutorial's tanh cell.

A cell may also have ``layer(params, carry, xs[, mask])``: a whole window at
once, the same values as stepping (the LSTM's hand-written backward; the
parallel scan of ``mingru``, ``minlstm`` and ``lru``, ``linear_scan.py``).
"""

from __future__ import annotations

from types import ModuleType

from rnr.engine.cells import gru, lru, lstm, lstm_coupled, lstm_nofg, lstm_peephole, mingru, minlstm, rnn

CELLS: dict[str, ModuleType] = {"rnn": rnn, "lstm": lstm, "gru": gru}
CELLS["lstm_peephole"] = lstm_peephole  # gates also read the cell state (Gers & Schmidhuber 2000)
CELLS["lstm_coupled"] = lstm_coupled  # f = 1 - i
CELLS["lstm_nofg"] = lstm_nofg  # no forget gate (Hochreiter & Schmidhuber 1997)
# gates from x_t alone, linear in h: a window trains with a parallel scan (docs/parallel.md)
CELLS["mingru"] = mingru  # Feng et al. 2024
CELLS["minlstm"] = minlstm  # Feng et al. 2024
CELLS["lru"] = lru  # complex diagonal linear recurrence (Orvieto et al. 2023)


def get(name: str) -> ModuleType:
    """The cell module registered as ``name``; raises UserError if unknown."""
    if name not in CELLS:
        from rnr.errors import UserError

        raise UserError("unknown_cell", name=name, choices=", ".join(CELLS))
    return CELLS[name]
