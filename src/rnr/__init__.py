"""rnr: recurrent neural networks (tanh RNN, LSTM, GRU) in JAX.

The cells live in ``rnr.cells`` (one file each), the sequence runner in
``rnr.scan``, stateful truncated backpropagation through time in
``rnr.tbptt`` and the tutorial's echo experiment in ``rnr.tasks.echo``.
"""

from rnr import _xla

_xla.configure()

__version__ = "0.1.0"
