"""Training a character-level model: the host loop around ``engine``.

    prepare(cfg, text)  checks everything and lays out the data (creates nothing)
    train(prepared, out) runs chunks of windows until a limit, validating,
                        sampling and checkpointing every ``eval_every`` windows

Per epoch the training windows are the same (K, w, B) array, taken in order;
the carried state resets to zero when an epoch starts. Limits: ``epochs``,
``steps`` (windows, counted over the whole run, resumes included) and
``time_budget`` (minutes of wall time in this invocation, compile excluded).
Ctrl-C (SIGINT) stops between compiled calls, writes ``last.safetensors``
and returns with ``summary["interrupted"] = True``; a second Ctrl-C kills.
"""

from __future__ import annotations

import functools
import math
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np
import optax

from rnr import model, optim, runs
from rnr.errors import Diverged, UserError
from rnr.text import ckpt, data, engine, rundir
from rnr.text.config import TextConfig
from rnr.text.sample import sample
from rnr.text.vocab import Vocab


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


def make_optimizer(cfg: TextConfig, windows_per_epoch: int) -> optax.GradientTransformation:
    """Optimizer and clipping from ``rnr.optim``; with ``lr_decay`` < 1 the
    rate is lr * lr_decay ** epoch."""
    if cfg.lr_decay == 1.0:
        return optim.make(cfg.optimizer, cfg.lr, cfg.clip)
    optim.make(cfg.optimizer, cfg.lr, cfg.clip)  # checks the names and numbers
    sched = optax.exponential_decay(cfg.lr, windows_per_epoch, cfg.lr_decay, staircase=True)
    opt = optim.OPTIMIZERS[cfg.optimizer](sched)
    return optax.chain(optax.clip_by_global_norm(cfg.clip), opt) if cfg.clip else opt


@functools.lru_cache(maxsize=8)
def _compiled(mcfg, optimizer, lr, clip, lr_decay, windows_per_epoch, dropout, unroll, fused=True) -> dict:
    """The jitted functions of one setting and a cache of their compiled
    executables by shape, kept for the process (a resumed or repeated run in
    the same process compiles nothing again)."""
    cfg = TextConfig(optimizer=optimizer, lr=lr, clip=clip, lr_decay=lr_decay)
    opt = make_optimizer(cfg, windows_per_epoch)
    return {"opt": opt, "chunk_fn": engine.make_train_chunk(mcfg, opt, dropout, unroll, fused),
            "evaluate": engine.make_evaluate(mcfg, unroll), "chunks": {}, "evals": {}}


class _StopFlag:
    """SIGINT sets the flag (the loop stops at the next chunk boundary);
    the second SIGINT raises KeyboardInterrupt as usual."""

    def __init__(self):
        self.set = False
        self.old = None

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self.old = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame):
        self.set = True
        signal.signal(signal.SIGINT, self.old or signal.default_int_handler)

    def __exit__(self, *exc):
        if self.old is not None:
            signal.signal(signal.SIGINT, self.old)


def train(prep: Prepared, out: Path, resume: bool = False, on_chunk: Callable | None = None,
          on_eval: Callable | None = None, on_compiled: Callable | None = None, unroll: int | bool = 1,
          fused: bool = True) -> dict:
    """Train into the run directory ``out`` (which must exist); returns the summary.

    With ``resume``, start from ``out/last.safetensors`` (params, optimizer
    state, carried state, step): the losses that follow are those of a run
    that never stopped. Callbacks run on the host between compiled calls:
    ``on_chunk(record)``, ``on_eval(record)`` (record has val_loss, val_bits,
    sample), ``on_compiled(seconds)``. ``unroll`` (steps per loop iteration)
    and ``fused`` (``rnr.fused_lstm`` for LSTM layers) change speed, not values.
    """
    with _StopFlag() as stop:
        return _train(prep, Path(out), resume, on_chunk, on_eval, on_compiled, unroll, fused, stop)


def _train(prep, out, resume, on_chunk, on_eval, on_compiled, unroll, fused, stop) -> dict:
    cfg = prep.cfg
    mcfg = cfg.model(len(prep.vocab))
    K, tokens = prep.X.shape[0], cfg.batch * cfg.window
    fns = _compiled(mcfg, cfg.optimizer, cfg.lr, cfg.clip, cfg.lr_decay, K, cfg.dropout, unroll, fused)
    opt = fns["opt"]
    key = jax.random.PRNGKey(cfg.seed)
    params = model.init(key, mcfg)
    opt_state = opt.init(params)
    zeros = model.zeros(mcfg, cfg.batch)
    st = {"step": 0, "epoch": 0, "pos": 0, "best_val": None, "best_step": None, "train_seconds": 0.0}
    carry = zeros
    if resume:
        tree, meta = ckpt.load(out / "last.safetensors", {"params": params, "opt": opt_state, "carry": zeros})
        params, opt_state, carry = tree["params"], tree["opt"], tree["carry"]
        st.update({k: meta[k] for k in st if k in meta})
    dropout_key = jax.random.fold_in(key, 1)

    t0 = time.perf_counter()
    n0 = min(cfg.chunk, K)

    def compiled_for(n):  # one compiled call per distinct chunk length (the epoch's tail is shorter)
        shape = prep.X[:n].shape
        if shape not in fns["chunks"]:
            fns["chunks"][shape] = fns["chunk_fn"].lower(params, opt_state, carry, prep.X[:n], prep.Y[:n], 0,
                                                         dropout_key).compile()
        return fns["chunks"][shape]

    compiled_for(n0)
    vshape = tuple(a.shape for a in prep.val)
    if vshape not in fns["evals"]:
        fns["evals"][vshape] = fns["evaluate"].lower(params, *prep.val).compile()
    eval_c = fns["evals"][vshape]
    compile_seconds = time.perf_counter() - t0
    if on_compiled:
        on_compiled(compile_seconds)

    metrics = out / "metrics.jsonl"
    limit_steps = min([s for s in (cfg.steps, cfg.epochs * K) if s] or [math.inf])
    budget = cfg.time_budget * 60.0 or math.inf
    stopped_by, last_loss, last_eval = None, float("nan"), None
    chunk_seconds, chunk_tokens = 0.0, 0
    start = time.perf_counter()

    def save_last():
        meta = {**st, "seed": cfg.seed}
        ckpt.save(out / "last.safetensors", {"params": params, "opt": opt_state, "carry": carry}, meta)

    def validate():
        nonlocal last_eval
        s, n = eval_c(params, *prep.val)
        val = float(s) / float(n)
        rec = {"step": st["step"], "epoch": st["epoch"], "val_loss": val, "val_bits": val / math.log(2)}
        if st["best_val"] is None or val < st["best_val"]:
            st["best_val"], st["best_step"] = val, st["step"]
            ckpt.save(out / "best.safetensors", {"params": params}, {"step": st["step"], "val_loss": val})
        if cfg.sample_length:
            rec["sample"] = sample(mcfg, params, prep.vocab, cfg.sample_length, seed=st["step"])
        runs.append_metrics(metrics, rec)
        last_eval = rec
        if on_eval:
            on_eval(rec)

    while True:
        if st["step"] >= limit_steps:
            stopped_by = "steps" if cfg.steps and st["step"] >= cfg.steps else "epochs"
            break
        if time.perf_counter() - start >= budget:
            stopped_by = "time_budget"
            break
        if stop.set:
            stopped_by = "interrupted"
            break
        p = st["pos"]
        if p == 0:
            carry = zeros  # a new pass over the text starts from a zero state
        e = min(p + cfg.chunk, K, p + int(min(limit_steps - st["step"], K)))
        t = time.perf_counter()
        fn = compiled_for(e - p)
        late = time.perf_counter() - t  # compiling a new length: not training time
        compile_seconds += late
        start += late
        t += late
        new = fn(params, opt_state, carry, prep.X[p:e], prep.Y[p:e], st["step"], dropout_key)
        losses = np.asarray(new[3])
        chunk_seconds += time.perf_counter() - t
        chunk_tokens += (e - p) * tokens
        if not np.all(np.isfinite(losses)):
            save_last()
            raise Diverged(st["epoch"], float(losses[~np.isfinite(losses)][0]), params)
        params, opt_state, carry = new[:3]
        prev = st["step"]
        st["step"] += e - p
        st["pos"] = e % K
        st["epoch"] += e == K
        last_loss = float(losses.mean())
        rec = {"step": st["step"], "epoch": st["epoch"], "loss": last_loss, "losses": losses.tolist(),
               "tokens_per_s": (e - p) * tokens / max(time.perf_counter() - t, 1e-9)}
        runs.append_metrics(metrics, rec)
        if on_chunk:
            on_chunk(rec)
        if st["step"] // cfg.eval_every > prev // cfg.eval_every:
            validate()
            save_last()
    st["train_seconds"] += time.perf_counter() - start
    save_last()  # first, so that a second Ctrl-C during validation loses nothing
    if last_eval is None or last_eval["step"] != st["step"]:
        validate()
        save_last()

    val = last_eval["val_loss"]
    summary = {
        "task": "text", "steps": st["step"], "epochs": st["epoch"] + st["pos"] / K,
        "train_loss": last_loss, "val_loss": val, "val_bits": val / math.log(2),
        "best_val_loss": st["best_val"], "best_step": st["best_step"],
        "compile_seconds": compile_seconds, "train_seconds": st["train_seconds"],
        "tokens_per_second": chunk_tokens / chunk_seconds if chunk_seconds else 0.0,
        "cell": cfg.cell, "hidden": cfg.hidden, "layers": cfg.layers, "stopped_by": stopped_by,
        "interrupted": stopped_by == "interrupted",
    }
    runs.write_json(out / "summary.json", summary)
    return summary


def evaluate_text(mcfg: model.ModelConfig, params, vocab: Vocab, text: str, what: str,
                  batch: int = 32, window: int = 64) -> dict:
    """Loss of ``text`` under a model: nats and bits per predicted character.
    The text is cut into ``batch`` rows (fewer for short texts), each run from a
    zero state."""
    ids = vocab.encode(text, what=what)
    if len(ids) < 2:
        raise UserError("text_eval_too_short", path=what)
    X, Y, M = data.padded_rows(ids, max(1, min(batch, (len(ids) - 1) // window)), window)
    s, n = engine.make_evaluate(mcfg)(params, jnp.asarray(X), jnp.asarray(Y), jnp.asarray(M))
    nats = float(s) / float(n)
    return {"loss": nats, "bits": nats / math.log(2), "chars": int(n)}
