"""Character-level language models on any UTF-8 text (``rnr text``).

    vocab.py    characters <-> ids
    data.py     reading a text file safely; rows and windows
    config.py   TextConfig (each setting declared once) and what config.json holds
    train.py    the text job for ``rnr.engine.loop``: data, validation, best checkpoint
    sample.py   the compiled sampling loop
    charlm.py   CharLM: the same job from Python (fit, sample, score, save, load)

The compiled chunk is ``rnr.engine.tbptt``'s, the host loop ``rnr.engine.loop``, the run
folder and checkpoints ``rnr.io.runs`` and ``rnr.io.checkpoint``, as for every
command. ``load_model(run_dir) -> (ModelConfig, params, vocab)`` is the way
in for other tools (viewers, notebooks).
"""


def load_model(run_dir):
    """The trained model of an ``rnr text train`` run.

    Returns ``(mcfg, params, vocab)``: the ``rnr.engine.model.ModelConfig`` (input
    "embed", n_in = n_out = len(vocab)), the parameters of the best
    checkpoint (lowest validation loss; the last one if no validation ran
    yet), and the vocabulary as a list of characters, id i being
    ``vocab[i]``. ``rnr.engine.model.apply(mcfg, params, rnr.engine.model.zeros(mcfg, B),
    ids)`` runs it on ids of shape (T, B) and gives logits (T, B, len(vocab)).

    Raises UserError when ``run_dir`` is not a text run, its config.json is
    damaged, or its checkpoint is missing, damaged, not finite or does not
    match the config.
    """
    from rnr.io import runs

    run = runs.load_run(run_dir, kind="text")
    return run.mcfg, run.params, list(run.raw["vocab"])


def __getattr__(name):
    """``rnr.text.CharLM`` (``rnr.text.charlm``), imported when first used."""
    if name == "CharLM":
        from rnr.text.charlm import CharLM

        return CharLM
    raise AttributeError(f"module 'rnr.text' has no attribute {name!r}")


__all__ = ["load_model", "CharLM"]
