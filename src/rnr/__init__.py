"""rnr: recurrent neural networks (tanh RNN, LSTM, GRU and variants) in JAX.

The cells live in ``rnr.engine.cells`` (one file each), the sequence runner in
``rnr.engine.scan``, stateful truncated backpropagation through time in
``rnr.engine.tbptt`` and the tutorial's echo experiment in ``rnr.sweep.tasks.echo``.

Importing rnr changes nothing in the process: no environment variable, no
JAX setting. The ``rnr`` command sets JAX up before it starts (one CPU device
per core, the persistent compilation cache); from Python, call
``rnr.configure()`` first, before JAX runs anything, to get the same.
"""

from rnr.engine import xla as _xla

__version__ = "0.1.0"


def configure(*, cache: bool = True) -> None:
    """Set JAX up as the ``rnr`` command does (see ``rnr.engine.xla``): one CPU
    device per core, so a model can split its batch over every core, and
    the compilation cache in ``~/.cache/rnr/jax`` (``cache=False``: off).
    Settings of your own (``XLA_FLAGS``, ``JAX_NUM_CPU_DEVICES``,
    ``JAX_COMPILATION_CACHE_DIR``) win. Call it before JAX computes
    anything: a started JAX keeps the devices it has."""
    _xla.configure(cache=cache)
