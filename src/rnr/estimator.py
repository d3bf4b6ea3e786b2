"""The scikit-learn face of rnr, shared by ``rnr.series.Classifier``,
``rnr.series.Forecaster`` and ``rnr.text.CharLM``.

The constructor only stores keyword arguments: a command's settings (same
names, defaults and validation as its flags) and ``run_dir``, ``verbose``;
``get_params``/``set_params``; ``fit`` trains the CLI's own job through the one
trainer (``rnr.engine.trainer.train_run``), in memory unless ``run_dir`` names
a new run folder; ``save``/``load`` write and read ordinary run folders. A bad
argument raises ``ValueError`` with the CLI's sentence; nothing calls
``sys.exit``. scikit-learn is not needed; ``clone``, ``GridSearchCV``,
``Pipeline`` and ``cross_val_score`` work when it is installed.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import sys
from pathlib import Path


from rnr import settings
from rnr.errors import UserError

NOT_FITTED = "est_not_fitted"


@contextlib.contextmanager
def user_errors():
    """rnr's one-sentence errors (``UserError``) as ``ValueError``, in English."""
    try:
        yield
    except UserError as e:
        raise ValueError(e.message("en")) from None


def not_fitted(est):
    from rnr.i18n import text

    message = text(NOT_FITTED, "en", name=type(est).__name__)
    try:
        from sklearn.exceptions import NotFittedError
    except ImportError:
        class NotFittedError(ValueError, AttributeError):
            pass
    return NotFittedError(message)


class Settings:
    """Keyword-only parameters from a settings dataclass, scikit-learn style.

    A subclass names ``config`` (the dataclass), ``exclude`` (its settings
    that are no parameter here) and ``extra`` ({name: default}); ``__init__``
    gets a real signature (``inspect.signature``, which scikit-learn's
    ``clone`` reads) and stores every argument unchanged."""

    config: type  # the settings dataclass (SeriesConfig, TextConfig)
    exclude: tuple = ()
    extra: dict = {}

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        defaults = {f.name: f.default for f, *_ in settings.fields(cls.config) if f.name not in cls.exclude}
        defaults.update(cls.extra)
        P = inspect.Parameter
        sig = inspect.Signature([P("self", P.POSITIONAL_OR_KEYWORD)] +
                                [P(n, P.KEYWORD_ONLY, default=d) for n, d in defaults.items()])

        def __init__(self, **params):
            sig.bind(self, **params)  # TypeError for a name that is no parameter
            for name, default in defaults.items():
                setattr(self, name, params.get(name, default))

        __init__.__signature__ = sig
        __init__.__qualname__ = f"{cls.__name__}.__init__"
        __init__.__doc__ = f"Store the settings (see ``{cls.__name__}``); nothing is checked before ``fit``."
        cls.__init__ = __init__
        cls._defaults = defaults

    def get_params(self, deep: bool = True) -> dict:
        return {name: getattr(self, name) for name in self._defaults}

    def set_params(self, **params):
        for name, value in params.items():
            if name not in self._defaults:
                raise ValueError(_text("est_unknown_param", name=name, estimator=type(self).__name__,
                                       names=", ".join(self._defaults)))
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        given = [f"{k}={v!r}" for k, v in self.get_params().items() if not _same(v, self._defaults[k])]
        return f"{type(self).__name__}({', '.join(given)})"

    def settings(self, new: bool = True, **fixed):
        """The validated settings dataclass (UserError: the CLI's sentence);
        ``new=False`` for a fitted model's own settings (resumed or scored),
        which need not meet the rules of a new run (``check_new``)."""
        values = {}
        for f, rules, *_ in settings.fields(self.config):
            if f.name in self._defaults:
                v = _python(getattr(self, f.name))
                values[f.name] = None if rules["zero_is_none"] and _same(v, 0) else v
        return settings.validate(self.config(**{**values, **fixed}), new=new)

    def check_extra(self) -> None:
        if self.verbose not in (0, 1, 2, False, True):
            raise UserError("est_bad_param", name="verbose", value=repr(self.verbose), rule="0 or 1")
        if self.run_dir is not None and not isinstance(self.run_dir, (str, Path)):
            raise UserError("est_bad_param", name="run_dir", value=repr(self.run_dir), rule="None or a folder's path")

    def _fitted(self):
        if not hasattr(self, "summary_"):
            raise not_fitted(self)

    def _params(self):
        """The chosen checkpoint's parameters (lowest validation loss), else the last."""
        best = getattr(self, "_best", None)
        return best[0] if best is not None else self._tree["params"]

    def save(self, path):
        """Write an ordinary run folder (config.json, last.safetensors,
        metrics.jsonl, summary.json and the training data) that the CLI reads."""
        self._fitted()
        with user_errors():
            self._write_run(path)
        return self

    def _write_run(self, path) -> None:
        save_run(self, path)

    def progress(self, every: int, unit: str):
        """None (verbose=0) or rnr's progress display (a tqdm bar in a notebook)."""
        if not self.verbose:
            return None
        from rnr import i18n
        from rnr.cli.progress import Progress

        if _in_notebook():
            try:
                return NotebookProgress(i18n.default_lang())
            except Exception:  # tqdm.notebook needs ipywidgets
                pass
        return Progress(i18n.default_lang(), every=every, unit=unit)


def _same(a, b) -> bool:
    return type(a) is type(b) and a == b


def _text(key: str, **fields) -> str:
    from rnr.i18n import text

    return text(key, "en", **fields)


def _in_notebook() -> bool:
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return type(shell).__name__ == "ZMQInteractiveShell"


class NotebookProgress:
    """A tqdm notebook bar with ``rnr.cli.progress.Progress``'s methods."""

    def __init__(self, lang: str):
        from tqdm.notebook import tqdm

        self.tqdm, self.lang, self.bar = tqdm, lang, None
        tqdm(total=0, disable=True)  # fails here, not mid-run, without ipywidgets

    def start(self, step, total, budget_seconds):
        self.bar = self.tqdm(total=total, initial=step, unit="step")

    def update(self, step, loss, seconds, pending=0.0):
        self.bar.update(step - self.bar.n)
        self.bar.set_postfix(loss=f"{loss:.4f}", refresh=False)

    def write(self, line):
        print(line)

    def close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def train(est, job, out, limits, schedule, config: dict | None, on_compiled=None, resume: bool = False):
    """``trainer.train_run`` with the estimator's progress; returns (Trained,
    the metrics.jsonl lines it made, in order)."""
    from rnr.engine import trainer

    lines = []
    progress = est.progress(max(1, schedule.eval_every), "steps")
    if progress is not None and on_compiled is None:
        from rnr.i18n import default_lang, text

        progress.write(text("compiling", default_lang()))
    shown = job.on_eval

    def on_eval(rec):
        lines.append({k: v for k, v in rec.items()})
        if shown and progress is not None:
            shown(rec, progress.write)

    job.on_eval = on_eval
    try:
        trained = trainer.train_run(job, out, limits, schedule, resume=resume, config=config,
                                    on_chunk=lambda info: lines.extend(job.chunk_records(info)),
                                    on_compiled=on_compiled, progress=progress)
    finally:
        if progress is not None:
            progress.close()
        job.on_eval = shown
    return trained, lines


def write_run(path, tree: dict, meta: dict, config: dict, history: list, summary: dict, files_: dict,
              best=None) -> None:
    """A new run folder: checkpoint(s), the data files ``files_`` ({name: bytes}),
    config.json (after them, as the trainer does), metrics.jsonl, summary.json."""
    from rnr.io import checkpoint, runs
    from rnr.io import files

    run = runs.Run.create(Path(path))
    try:
        checkpoint.save(run.file(runs.CHECKPOINT), tree, meta)
        if best is not None:
            checkpoint.save(run.file(runs.BEST), {"params": best[0]}, best[1])
        for name, data in files_.items():
            files.atomic_write_bytes(run.file(name), data)
        run.finish_creating(config)
        for rec in history:
            runs.append_metrics(run.file(runs.METRICS), rec)
        files.write_json(run.file(runs.SUMMARY), summary)
    finally:
        run.close()


def read_best(path, params):
    """(params, meta) of a run's best.safetensors (``params``: a template), or None."""
    from rnr.io import checkpoint, runs

    f = Path(path) / runs.BEST
    if not f.is_file():
        return None
    tree, meta = checkpoint.load(f, {"params": params})
    return tree["params"], meta


def read_history(path) -> tuple[list, dict]:
    """metrics.jsonl's lines and summary.json of a run (empty when missing)."""
    from rnr.io import runs

    path, history = Path(path), []
    if (path / runs.METRICS).is_file():
        for line in (path / runs.METRICS).read_text(encoding="utf-8", errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                history.append(json.loads(line))
    summary = {}
    with contextlib.suppress(OSError, ValueError):
        summary = json.loads((path / runs.SUMMARY).read_text(encoding="utf-8"))
    return history, summary


def data_entry(path, data: bytes) -> dict:
    """config.json's record of a data file written into a run folder."""
    return {"path": str(Path(path).resolve()), "sha256": hashlib.sha256(data).hexdigest()}


def fit_job(est, job, config: dict, name: str, data: bytes):
    """Train a series ``job`` for ``est``: in memory, or into ``est.run_dir``
    with its data file ``name`` beside the run (what ``save`` writes too);
    sets the fitted attributes every estimator has and returns the ``Trained``."""
    from rnr.engine import devices

    out = Path(est.run_dir) if est.run_dir is not None else None
    if out is not None:
        config = {**config, "data": data_entry(out / name, data)}
    trained, lines = train(est, job, out, job.limits(), job.schedule(), config,
                           on_compiled=write_data(job, name, data))
    est._tree = devices.fetch_tree(job.tree(trained.state))
    est._meta = trained.outcome.position.meta()
    extra = trained.outcome.position.extra
    est._best = ((job.chosen_params(trained.state), {"step": extra["best_step"], "val_loss": extra["best_val"]})
                 if "best_step" in extra else None)
    est._config, est._files = config, {name: data}
    est.history_, est.summary_, est.run_dir_ = lines, trained.summary, out
    return trained


def write_data(job, name: str, data: bytes):
    """on_compiled: the data file into the run folder the trainer just created."""
    def write(seconds):
        if job.run is not None:
            from rnr.io import files

            files.atomic_write_bytes(job.run.file(name), data)
    return write


def save_run(est, path) -> None:
    config = dict(est._config)
    for name, data in est._files.items():
        config["data"] = data_entry(Path(path) / name, data)
    write_run(path, est._tree, est._meta, config, est.history_, est.summary_, est._files, getattr(est, "_best", None))


def _python(v):
    """A NumPy scalar as the Python number it holds (a grid from ``np.arange`` or
    ``np.logspace`` gives ``np.int64`` and ``np.float64`` values); else ``v``."""
    import numpy as np

    return v.item() if isinstance(v, np.generic) else v
