"""Character-level language models on any UTF-8 text (``rnr text``).

    vocab.py    characters <-> ids
    data.py     reading a text file safely; rows and windows
    config.py   TextConfig, the settings stored in config.json
    engine.py   the compiled training chunk (with dropout) and evaluation
    train.py    the host loop: limits, validation, checkpoints, Ctrl-C, resume
    ckpt.py     checkpoints: safetensors + JSON metadata, nothing unpickled
    sample.py   the compiled sampling loop
    rundir.py   config.json of a text run; ``load_model``

``load_model(run_dir) -> (ModelConfig, params, vocab)`` is the way in for
other tools (viewers, notebooks).
"""

from rnr.text.rundir import load_model

__all__ = ["load_model"]
