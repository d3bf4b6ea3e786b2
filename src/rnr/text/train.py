"""Training a character-level model: the text job that ``rnr.engine.loop`` runs.

    prepare(cfg, text)   checks everything and lays out the data (creates nothing)
    train(prep, out)     trains into the run folder ``out`` through the one
                         trainer (``rnr.engine.trainer``), validating, sampling and
                         checkpointing every ``eval_every`` windows

Per epoch the training windows are the same (K, w, B) array, taken in order;
the carried state resets to zero when an epoch starts. Window k of the run
draws its dropout masks from ``fold_in(key, k)`` (``rnr.engine.tbptt``), so a run
resumed from ``last.safetensors`` continues exactly as if it never stopped.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import jax.numpy as jnp
import numpy as np

from rnr.io import checkpoint, runs
from rnr.engine import devices, loop, model, optim, tbptt
from rnr.errors import Msg, UserError
from rnr.engine.job import ChunkJob, programs, uniform_loss
from rnr.text import data
from rnr.text.config import TextConfig, check_memory, config_dict
from rnr.text.sample import sample
from rnr.text.vocab import Vocab
from rnr.engine.trainer import Schedule, train_run
from rnr.text import figures as text_figure


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
        raise UserError("no_limit", flags=Msg("one_of_three", a="--epochs", b="--steps", c="--time-budget"))
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
def _evaluator(mcfg, mesh):
    """The jitted validation loss and its compiled executables by shape."""
    return {"fn": tbptt.make_evaluate(mcfg, mesh=mesh), "compiled": {}}


class TextJob(ChunkJob):
    """A character model as a ``rnr.engine.loop`` job: the same (K, w, B) windows
    every epoch, the carried state from window to window (``rnr.engine.job``)."""

    evaluate_on_interrupt = False  # Ctrl-C: the user wants out, no last validation

    def __init__(self, prep: Prepared, on_eval=None):
        cfg = self.cfg = prep.cfg
        self.prep, self.on_eval = prep, on_eval
        mcfg = cfg.model(len(prep.vocab))
        per_epoch = prep.X.shape[0]
        n_devices = devices.choose(cfg.batch, cfg.devices)
        opt = optim.Spec(cfg.optimizer, cfg.lr, cfg.clip, cfg.lr_decay, per_epoch)
        super().__init__(mcfg, programs(mcfg, opt, n_devices, dropout=cfg.dropout), seed=cfg.seed, batch=cfg.batch,
                         per_epoch=per_epoch, chunk=cfg.chunk or per_epoch, explode=uniform_loss(len(prep.vocab)),
                         n_devices=n_devices)
        self.X, self.Y = devices.split((jnp.asarray(prep.X), jnp.asarray(prep.Y)), self.mesh, 2)
        eval_split = prep.val[0].shape[2] % n_devices == 0  # validation rows split too, when they can
        self.eval_mesh = self.mesh if eval_split else None
        val = tuple(jnp.asarray(a) for a in prep.val)
        self.val = devices.split(val, self.mesh, 2) if eval_split else val
        self.evaluator = _evaluator(mcfg, self.eval_mesh)

    def windows(self, pos, n, step):
        return self.X[pos:pos + n], self.Y[pos:pos + n], None

    def compile(self, state, n):
        super().compile(state, n)
        shape = tuple(a.shape for a in self.val)
        if shape not in self.evaluator["compiled"]:
            self.evaluator["compiled"][shape] = self.evaluator["fn"].lower(self._eval_params(state[0]),
                                                                           *self.val).compile()

    def _eval_params(self, params):
        if self.mesh is not None and self.eval_mesh is None:  # validation on this process's first device
            return devices.fetch_tree(params)
        return params

    def validation_loss(self, params) -> float:
        fn = self.evaluator["compiled"].get(tuple(a.shape for a in self.val), self.evaluator["fn"])
        s, n = fn(self._eval_params(params), *self.val)
        return float(devices.fetch(s)) / float(devices.fetch(n))

    def chunk_records(self, info):
        losses = info["losses"]
        tokens = self.cfg.batch * self.cfg.window
        return [{"step": info["step"], "epoch": info["epoch"], "loss": float(losses.mean()),
                 "losses": losses.tolist(), "tokens_per_s": info["n"] * tokens / max(info["seconds"], 1e-9)}]

    def evaluate(self, state, position: loop.Position) -> dict:
        """Validation loss; the best checkpoint; a sample; a metrics line."""
        params = state[0]
        val = self.validation_loss(params)
        self.check_validation(val, position)  # before best.safetensors: it never holds a diverged model
        rec = {"step": position.step, "epoch": position.epoch, "val_loss": val, "val_bits": val / math.log(2)}
        best = position.extra.get("best_val")
        if best is None or val < best:
            position.extra.update(best_val=val, best_step=position.step)
            if self.run is not None:
                checkpoint.save(self.run.file(runs.BEST), {"params": params},
                                {"step": position.step, "val_loss": val, "facts": self.run.facts})
        if self.cfg.sample_length and devices.is_main():
            rec["sample"] = sample(self.mcfg, devices.fetch_tree(params), self.prep.vocab, self.cfg.sample_length,
                                   seed=position.step)
        if self.run is not None:
            runs.append_metrics(self.run.file(runs.METRICS), rec)
        if self.on_eval:
            self.on_eval(rec)
        return rec

    def summary(self, outcome, last_eval):
        pos, cfg = outcome.position, self.cfg
        val = last_eval["val_loss"] if last_eval else float("nan")
        tokens = cfg.batch * cfg.window
        return {"task": "text", "val_loss": val, "val_bits": val / math.log(2),
                "best_val_loss": pos.extra.get("best_val"), "best_step": pos.extra.get("best_step"),
                "tokens_per_second": outcome.windows * tokens / outcome.train_seconds if outcome.train_seconds else 0.0,
                "cell": cfg.cell, "hidden": cfg.hidden, "layers": cfg.layers}


def train(prep: Prepared, out=None, resume: bool = False, config: dict | None = None,
          on_chunk=None, on_eval=None, on_compiled=None, progress=None, plot: bool = True) -> dict:
    """Train into the run folder ``out`` (created, or with ``resume`` locked
    and continued from ``last.safetensors``: the losses that follow are those
    of a run that never stopped); returns the summary. ``config``: what
    config.json holds (default: the settings, vocabulary and text of ``prep``).
    Callbacks run on the host between compiled calls: ``on_chunk(info)``,
    ``on_eval(record)`` (val_loss, val_bits, sample), ``on_compiled(seconds)``.
    ``plot``: draw loss.png at the end."""
    cfg = prep.cfg
    if config is None and not resume:
        config = config_dict(cfg, prep.vocab, prep.text_path or "", prep.text)
    job = TextJob(prep, on_eval)
    limits = loop.Limits(epochs=cfg.epochs, steps=cfg.steps, minutes=cfg.time_budget)
    schedule = Schedule(eval_every=cfg.eval_every, checkpoint_every=cfg.eval_every,
                        checkpoint_seconds=CHECKPOINT_SECONDS)

    def figures(run, summary):
        if plot:
            text_figure.write_loss(run, job.per_epoch)  # loss.png, drawn from metrics.jsonl

    return train_run(job, out, limits, schedule, resume=resume, config=config, on_chunk=on_chunk,
                     on_compiled=on_compiled, on_finished=figures, progress=progress).summary


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
