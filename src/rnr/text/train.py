"""Training a character-level model: the text job that ``rnr.loop`` runs.

    prepare(cfg, text)   checks everything and lays out the data (creates nothing)
    train(prep, run)     trains into a locked run folder (``rnr.runs.Run``),
                         validating, sampling and checkpointing every
                         ``eval_every`` windows

Per epoch the training windows are the same (K, w, B) array, taken in order;
the carried state resets to zero when an epoch starts. Window k of the run
draws its dropout masks from ``fold_in(key, k)`` (``rnr.tbptt``), so a run
resumed from ``last.safetensors`` continues exactly as if it never stopped.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from rnr import checkpoint, devices, loop, model, optim, runs, tbptt
from rnr.errors import UserError
from rnr.text import data
from rnr.text.config import TextConfig, check_memory, config_dict
from rnr.text.sample import sample
from rnr.text.vocab import Vocab
from rnr.io import files


CHECKPOINT_SECONDS = 300.0  # besides every eval_every windows, at least this often


@dataclass
class Prepared:
    cfg: TextConfig
    vocab: Vocab
    X: np.ndarray  # (K, w, B) training inputs
    Y: np.ndarray  # (K, w, B) next-character targets
    val: tuple  # X, Y, M of the validation text, (Kv, w, B)
    text_path: str
    text: str


def prepare(cfg: TextConfig, text: str, text_path: str = "", vocab: Vocab | None = None) -> Prepared:
    """Check the settings against the text and lay out training and
    validation windows; raises UserError for a text too short."""
    cfg.validate()
    if not cfg.epochs and not cfg.steps and not cfg.time_budget:
        raise UserError("text_no_limit")
    vocab = vocab or Vocab.from_text(text)
    check_memory(cfg, len(vocab))
    ids = vocab.encode(text, what=text_path or "text")
    train_ids, val_ids = data.split(ids, cfg.val_fraction)
    need = cfg.batch * cfg.window + 1
    if len(train_ids) < need or len(val_ids) < 2:
        raise UserError("text_too_short", chars=len(text), need=int(math.ceil(need / (1 - cfg.val_fraction))) + 2,
                        batch=cfg.batch, window=cfg.window)
    X, Y = data.windows(train_ids, cfg.batch, cfg.window)
    if cfg.val_max:
        val_ids = val_ids[: cfg.val_max]
    val = data.padded_rows(val_ids, min(cfg.batch, len(val_ids) - 1), cfg.window)
    return Prepared(cfg, vocab, X, Y, val, text_path, text)


@functools.lru_cache(maxsize=8)
def _programs(mcfg, optimizer, lr, clip, lr_decay, windows_per_epoch, dropout, n_devices, eval_split) -> dict:
    """The jitted functions of one setting and their compiled executables by
    shape, kept for the process (a resumed or repeated run in the same
    process compiles nothing again)."""
    opt = optim.make(optimizer, lr, clip, lr_decay, windows_per_epoch)
    mesh = devices.make_mesh(n_devices)
    return {"opt": opt, "mesh": mesh, "chunk": tbptt.make_train_chunk(mcfg, opt, dropout=dropout, mesh=mesh),
            "evaluate": tbptt.make_evaluate(mcfg, mesh=mesh if eval_split else None), "chunks": {}, "evals": {}}


class TextJob:
    """A character model as a ``rnr.loop`` job; state = (params, opt_state, carry)."""

    def __init__(self, prep: Prepared, run: runs.Run | None = None, on_eval=None):
        cfg = self.cfg = prep.cfg
        self.prep, self.run, self.on_eval = prep, run, on_eval
        self.mcfg = cfg.model(len(prep.vocab))
        self.per_epoch, self.chunk = prep.X.shape[0], cfg.chunk
        self.explode = 10 * math.log(len(prep.vocab)) + 10  # ten times a uniform guess (and a margin for tiny V)
        self.n_devices = devices.choose(cfg.batch, cfg.devices)
        eval_split = prep.val[0].shape[2] % self.n_devices == 0  # validation rows split too, when they can
        self.fns = _programs(self.mcfg, cfg.optimizer, cfg.lr, cfg.clip, cfg.lr_decay, self.per_epoch, cfg.dropout,
                             self.n_devices, eval_split)
        self.mesh = self.fns["mesh"]
        self.key = jax.random.fold_in(jax.random.PRNGKey(cfg.seed), 1)  # dropout masks
        self.X, self.Y = devices.split((jnp.asarray(prep.X), jnp.asarray(prep.Y)), self.mesh, 2)
        val = tuple(jnp.asarray(a) for a in prep.val)
        self.val = devices.split(val, self.mesh, 2) if eval_split else val
        self.eval_mesh = self.mesh if eval_split else None

    def place(self, state):
        """Parameters and optimizer state on every device, the carried state split by rows."""
        params, opt_state, carry = state
        return (*devices.replicate((params, opt_state), self.mesh), devices.split(carry, self.mesh, 0))

    def start(self):
        params = model.init(jax.random.PRNGKey(self.cfg.seed), self.mcfg)
        return self.place((params, self.fns["opt"].init(params), model.zeros(self.mcfg, self.cfg.batch)))

    def template(self):
        params = model.init(jax.random.PRNGKey(self.cfg.seed), self.mcfg)
        return {"params": params, "opt": self.fns["opt"].init(params), "carry": model.zeros(self.mcfg, self.cfg.batch)}

    def compile(self, state, n):
        shape = (n, *self.X.shape[1:])
        if shape not in self.fns["chunks"]:
            self.fns["chunks"][shape] = self.fns["chunk"].lower(*state, self.X[:n], self.Y[:n], 0, self.key).compile()
        vshape = tuple(a.shape for a in self.val)
        if vshape not in self.fns["evals"]:
            self.fns["evals"][vshape] = self.fns["evaluate"].lower(self._eval_params(state[0]), *self.val).compile()

    def begin_epoch(self, state, epoch):
        zeros = devices.split(model.zeros(self.mcfg, self.cfg.batch), self.mesh, 0)
        return state[0], state[1], zeros  # a new pass over the text starts from a zero state

    def train(self, state, pos, n, step):
        fn = self.fns["chunks"].get((n, *self.X.shape[1:]), self.fns["chunk"])
        params, opt_state, carry, losses, _ = fn(*state, self.X[pos:pos + n], self.Y[pos:pos + n], step, self.key)
        return (params, opt_state, carry), devices.fetch(losses)

    def _eval_params(self, params):
        if self.mesh is not None and self.eval_mesh is None:  # validation on this process's first device
            return devices.fetch_tree(params)
        return params

    def finite(self, state):
        return bool(devices.fetch(model.finite(state[0])))

    def tree(self, state):
        return {"params": state[0], "opt": state[1], "carry": state[2]}

    def validation_loss(self, params) -> float:
        fn = self.fns["evals"].get(tuple(a.shape for a in self.val), self.fns["evaluate"])
        s, n = fn(self._eval_params(params), *self.val)
        return float(devices.fetch(s)) / float(devices.fetch(n))

    def evaluate(self, state, position: loop.Position) -> dict:
        """Validation loss; the best checkpoint; a sample; a metrics line."""
        params = state[0]
        val = self.validation_loss(params)
        rec = {"step": position.step, "epoch": position.epoch, "val_loss": val, "val_bits": val / math.log(2)}
        best = position.extra.get("best_val")
        if best is None or val < best:
            position.extra.update(best_val=val, best_step=position.step)
            if self.run is not None:
                checkpoint.save(self.run.file(runs.BEST), {"params": params},
                                {"step": position.step, "val_loss": val})
        if self.cfg.sample_length and devices.is_main():
            rec["sample"] = sample(self.mcfg, devices.fetch_tree(params), self.prep.vocab, self.cfg.sample_length,
                                   seed=position.step)
        if self.run is not None:
            runs.append_metrics(self.run.file(runs.METRICS), rec)
        if self.on_eval:
            self.on_eval(rec)
        return rec


def resume_point(job: TextJob, run_path) -> tuple[tuple, loop.Position]:
    """The state and position stored in a run's last checkpoint."""
    tree, meta = checkpoint.load(run_path / runs.CHECKPOINT, job.template(), finite=("params", "opt", "carry"))
    if "extra" not in meta and "best_val" in meta:  # written by rnr 0.1
        meta = {**meta, "extra": {"best_val": meta["best_val"], "best_step": meta.get("best_step")}}
    try:
        position = loop.Position.from_meta(meta, job.per_epoch)
    except ValueError:
        raise UserError("checkpoint_corrupt", path=run_path / runs.CHECKPOINT) from None
    return job.place((tree["params"], tree["opt"], tree["carry"])), position


def train(prep: Prepared, run=None, resume: bool = False, config: dict | None = None,
          on_chunk=None, on_eval=None, on_compiled=None, progress=None, plot: bool = True) -> dict:
    """Train into the run folder ``run`` (a locked ``rnr.runs.Run``, or a path:
    then it is created, or locked to resume, here); returns the summary.

    A new run writes its first checkpoint and then ``config`` (config.json;
    by default the settings, vocabulary and text of ``prep``) before training. With ``resume``, start from ``last.safetensors``
    (params, optimizer state, carried state, position): the losses that
    follow are those of a run that never stopped. Callbacks run on the host
    between compiled calls: ``on_chunk(record)``, ``on_eval(record)``
    (val_loss, val_bits, sample), ``on_compiled(seconds)``. ``plot``: write loss.png at the end.
    """
    if run is not None and not isinstance(run, runs.Run):
        with (runs.Run.resume(run) if resume else runs.Run.create(run)) as held:
            return train(prep, held, resume, config, on_chunk, on_eval, on_compiled, progress, plot)
    cfg = prep.cfg
    if config is None and not resume:
        config = config_dict(cfg, prep.vocab, prep.text_path or "", prep.text)
    job = TextJob(prep, run, on_eval)
    if resume:
        state, position = resume_point(job, run.path)
        runs.cut_metrics(run.file(runs.METRICS), position.step)  # no line repeats after a kill
    else:
        state, position = job.start(), loop.Position()
    tokens = cfg.batch * cfg.window

    def chunk_record(info):
        losses = info["losses"]
        rec = {"step": info["step"], "epoch": info["epoch"], "loss": float(losses.mean()),
               "losses": losses.tolist(), "tokens_per_s": info["n"] * tokens / max(info["seconds"], 1e-9)}
        if run is not None:
            runs.append_metrics(run.file(runs.METRICS), rec)
        if on_chunk:
            on_chunk(rec)

    save = run.saver(job.tree, config) if run is not None else None  # config.json after the first checkpoint
    limits = loop.Limits(epochs=cfg.epochs, steps=cfg.steps, minutes=cfg.time_budget)
    out = loop.run(job, state, limits, position, save=save, checkpoint_every=cfg.eval_every,
                   eval_every=cfg.eval_every, on_chunk=chunk_record, on_compiled=on_compiled, progress=progress,
                   checkpoint_seconds=CHECKPOINT_SECONDS)
    pos = out.position
    val = out.last_eval["val_loss"] if out.last_eval else float("nan")
    summary = {
        "task": "text", "steps": pos.step, "epochs": pos.epoch + pos.pos / job.per_epoch,
        "train_loss": float(out.last_losses.mean()) if out.last_losses is not None else float("nan"),
        "val_loss": val, "val_bits": val / math.log(2),
        "best_val_loss": pos.extra.get("best_val"), "best_step": pos.extra.get("best_step"),
        "compile_seconds": out.compile_seconds, "train_seconds": pos.train_seconds,
        "tokens_per_second": out.windows * tokens / out.train_seconds if out.train_seconds else 0.0,
        "cell": cfg.cell, "hidden": cfg.hidden, "layers": cfg.layers, "stopped_by": out.stopped_by,
        "interrupted": out.stopped_by == "interrupted",
    }
    if run is not None:
        files.write_json(run.file(runs.SUMMARY), summary)
    if run is not None and plot:
        from rnr.views import text_figure

        text_figure.write_loss(run, job.per_epoch)  # loss.png, drawn from metrics.jsonl
    return summary


def evaluate_text(mcfg: model.ModelConfig, params, vocab: Vocab, text: str, what: str,
                  batch: int = 32, window: int = 64) -> dict:
    """Loss of ``text`` under a model: nats and bits per predicted character.
    The text is cut into ``batch`` rows (fewer for short texts), each run from a
    zero state. Characters the vocabulary lacks are left out of the text
    (``data.known_ids``) and the rest is scored: "chars" counts the predictions
    scored, "skipped" the characters left out, "unknown" lists them."""
    ids, skipped, unknown = data.known_ids(vocab, text)
    if len(ids) < 2:
        if skipped:
            raise UserError("text_eval_nothing_known", path=what, skipped=skipped, chars=shown_chars(unknown))
        raise UserError("text_eval_too_short", path=what)
    X, Y, M = data.padded_rows(ids, max(1, min(batch, (len(ids) - 1) // window)), window)
    s, n = tbptt.make_evaluate(mcfg)(params, jnp.asarray(X), jnp.asarray(Y), jnp.asarray(M))
    nats = float(s) / float(n)
    return {"loss": nats, "bits": nats / math.log(2), "chars": int(n), "skipped": skipped, "unknown": unknown}


def shown_chars(chars: list[str], most: int = 10) -> str:
    """A few characters as Python writes them (a newline as '\\n'), then "...". """
    return " ".join(repr(c) for c in chars[:most]) + (" ..." if len(chars) > most else "")
