"""``CharLM``: a character-level language model from Python (``rnr text train``'s job).

    lm = CharLM(hidden=128, layers=1).fit("shakespeare.txt", time_budget=2)
    lm.sample("ROMEO:", length=200, temperature=0.8)
    lm.score("To be, or not to be")          {"nats": ..., "bits": ..., "chars": ...}
    lm.save("runs/my-lm");  CharLM.load("runs/my-lm")

The constructor only stores keyword arguments: ``rnr text train``'s settings
(``TextConfig``: same names, defaults and validation), ``run_dir`` and
``verbose``. ``fit`` prepares the text as the CLI does (``rnr.text.train``)
and trains the CLI's ``TextJob`` through the one trainer, in memory unless
``run_dir`` names a new run folder. Bad arguments raise ``ValueError`` with
the CLI's sentence.
"""

from __future__ import annotations

from pathlib import Path

from rnr.errors import UserError
from rnr.estimator import Settings, read_history, train, user_errors, write_run
from rnr.text.config import TextConfig

TEXT_FILE = "text.txt"  # a text given as a string is kept in the run folder under this name


def read_text(text) -> tuple[str, str | None]:
    """(the text, its file's path or None): a string naming an existing file is that file."""
    from rnr.text import data

    if isinstance(text, Path) or isinstance(text, str):
        try:
            is_file = "\n" not in str(text) and len(str(text)) < 4096 and Path(text).is_file()
        except (OSError, ValueError):
            is_file = False
        if is_file:
            return data.read_text(text), str(text)
        if isinstance(text, str):
            return text, None
        return data.read_text(text), str(text)  # a Path that is no file: the CLI's sentence
    raise UserError("est_text_type", kind=type(text).__name__)


class CharLM(Settings):
    """A character-level language model (``rnr text train``).

    Parameters: every setting of ``rnr text train`` by the same name and with
    the same default (``hidden=256``, ``layers=1``, ``window=64``, ``batch=32``,
    ``eval_every=500``, ...); ``run_dir`` (None: in memory) and ``verbose``.

    Fitted attributes: ``vocab_`` (the characters, id i is ``vocab_[i]``),
    ``history_`` (metrics.jsonl's lines: each chunk's losses and each
    validation, with its sample), ``summary_``, ``run_dir_``. ``sample`` and
    ``score`` use the best parameters (lowest validation loss), as ``rnr
    text sample`` and ``rnr text eval`` do.
    """

    config = TextConfig
    extra = {"run_dir": None, "verbose": 0}

    def fit(self, text, *, epochs: int | None = None, steps: int | None = None,
            time_budget: float | None = None, resume: bool = False):
        """Train on ``text`` (the text itself, or a file's path); returns self.

        ``epochs``, ``steps``, ``time_budget`` (minutes): limits for this call,
        over the constructor's. ``resume=True``: continue from the fitted
        weights and optimizer state (the vocabulary kept) for the limits
        given, counted anew; without it training starts from fresh weights."""
        from rnr.engine import devices, loop
        from rnr.text import train as tr
        from rnr.text.config import config_dict
        from rnr.text.vocab import Vocab

        limits = {k: v for k, v in (("epochs", epochs), ("steps", steps), ("time_budget", time_budget))
                  if v is not None}
        with user_errors():
            self.check_extra()
            if resume:
                self._fitted()
            cfg = self.settings(new=not resume, **limits)
            body, path = read_text(text)
            prep = tr.prepare(cfg, body, path or "", vocab=Vocab(self.vocab_) if resume else None)
            job = tr.TextJob(prep, on_eval=_say)
            if resume:
                if job.mcfg != self._mcfg:
                    raise UserError("est_resume_changed", what=f"{self._mcfg} -> {job.mcfg}")
                tree = self._tree
                job.start = lambda params=None: job.place((tree["params"], tree["opt"], job.zeros()))
            out = Path(self.run_dir) if self.run_dir is not None else None
            files = {} if path else {TEXT_FILE: body.encode("utf-8")}
            config = config_dict(cfg, prep.vocab, path or TEXT_FILE, body)
            if out is not None and not path:
                config["text"]["path"] = str((out / TEXT_FILE).resolve())
            best = {}
            evaluate = job.evaluate

            def keep_best(state, position):  # the best parameters, as best.safetensors holds them
                before = position.extra.get("best_step")
                rec = evaluate(state, position)
                if position.extra.get("best_step") == position.step and before != position.step:
                    best["params"] = devices.fetch_tree(state[0])
                    best["meta"] = {"step": position.step, "val_loss": rec["val_loss"]}
                return rec

            job.evaluate = keep_best

            def on_compiled(seconds):
                if job.run is not None:
                    from rnr.io import files as io_files

                    for name, data in files.items():
                        io_files.atomic_write_bytes(job.run.file(name), data)

            schedule_ = _schedule(cfg)
            trained, lines = train(self, job, out, loop.Limits(epochs=cfg.epochs, steps=cfg.steps,
                                                               minutes=cfg.time_budget),
                                   schedule_, config, on_compiled=on_compiled)
        self._tree = devices.fetch_tree(job.tree(trained.state))
        self._meta = trained.outcome.position.meta()
        self._best = (best["params"], best["meta"]) if best else None
        self._mcfg, self._config, self._files = job.mcfg, config, files
        self.vocab_ = list(prep.vocab.chars)
        self.history_ = (self.history_ + lines) if resume else lines
        self.summary_, self.run_dir_ = trained.summary, out
        return self

    def _params(self):
        return self._best[0] if self._best is not None else self._tree["params"]

    def sample(self, prime: str | None = None, length: int = 200, temperature: float = 1.0, top_k: int = 0,
               greedy: bool = False, seed: int = 0) -> str:
        """``length`` new characters after ``prime`` (default: a newline, or
        the first character of the vocabulary), drawn at ``temperature`` among
        the ``top_k`` most likely (0: all), or the most likely (``greedy``)."""
        from rnr.text.sample import sample
        from rnr.text.vocab import Vocab

        self._fitted()
        with user_errors():
            return sample(self._mcfg, self._params(), Vocab(self.vocab_), length, prime, temperature, top_k,
                          greedy, seed)

    def score(self, text) -> dict:
        """How well the model predicts ``text`` (a string, or a file's path):
        ``nats`` and ``bits`` per character, ``chars`` scored, and the
        characters left out because the vocabulary lacks them (``skipped``,
        ``unknown``). As ``rnr text eval``: rows of the run's batch and window."""
        from rnr.text.train import evaluate_text
        from rnr.text.vocab import Vocab

        self._fitted()
        with user_errors():
            body, path = read_text(text)
            cfg = self.settings(new=False, epochs=1)
            r = evaluate_text(self._mcfg, self._params(), Vocab(self.vocab_), body, path or "text",
                              cfg.batch, cfg.window)
        return {"nats": r["loss"], "bits": r["bits"], "chars": r["chars"], "skipped": r["skipped"],
                "unknown": r["unknown"]}

    def _write_run(self, path) -> None:
        """The run folder ``rnr text sample``, ``eval``, ``view`` and ``export`` read."""
        config = dict(self._config)
        if self._files:
            config["text"] = {**config["text"], "path": str((Path(path) / TEXT_FILE).resolve())}
        write_run(path, self._tree, self._meta, config, self.history_, self.summary_, self._files, self._best)

    @classmethod
    def load(cls, path) -> "CharLM":
        """A fitted CharLM from any ``rnr text train`` run (or ``save``)."""
        import jax

        from rnr.engine import model, optim
        from rnr.io import runs
        from rnr.text.config import model_config

        with user_errors():
            kind, cfg, raw = runs.read_config(path)
            if kind != "text":
                raise UserError("wrong_task", path=path, expected="text")
            mcfg = model_config(cfg, raw)
            params = model.init(jax.random.PRNGKey(0), mcfg)
            opt = optim.Spec(cfg.optimizer, cfg.lr, cfg.clip, cfg.lr_decay, 1).make().init(params)
            last = runs.load_run(path, kind="text", which="last",
                                 template_extra={"opt": opt, "carry": model.zeros(mcfg, cfg.batch)})
            best = runs.load_run(path, kind="text", which="best")
            est = cls(**{k: getattr(cfg, k) for k in cls._defaults if hasattr(cfg, k)})
            est._tree = {k: last.tree[k] for k in ("params", "opt", "carry")}
            est._meta, est._mcfg, est._config, est._files = last.meta, mcfg, raw, {}
            est._best = (best.params, best.meta) if best.checkpoint != last.checkpoint else None
            est.vocab_ = list(raw["vocab"])
            est.history_, est.summary_ = read_history(path)
            est.run_dir_ = Path(path)
        return est


def _schedule(cfg):
    from rnr.text.train import CHECKPOINT_SECONDS
    from rnr.engine.trainer import Schedule

    return Schedule(eval_every=cfg.eval_every, checkpoint_every=cfg.eval_every, checkpoint_seconds=CHECKPOINT_SECONDS)


def _say(rec, write=None):
    """verbose: the CLI's validation line and sample."""
    if write is None:
        return
    from rnr.i18n import default_lang, text

    lang = default_lang()
    write(text("text_val", lang, **rec))
    if "sample" in rec:
        write(text("text_sample_head", lang) + "\n" + rec["sample"] + "\n")
