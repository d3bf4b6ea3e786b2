"""A text run directory: what is in config.json, and reading a run back.

    config.json   {"task": "text", <TextConfig fields>, "vocab": [chars],
                   "model": <ModelConfig fields>, "text": {path, sha256, chars}}
    last.safetensors, best.safetensors   see ``rnr.text.ckpt``
    metrics.jsonl, summary.json          see ``rnr.text.train``
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import jax

from rnr import model, runs
from rnr.errors import UserError
from rnr.text import ckpt
from rnr.text.config import TextConfig
from rnr.text.vocab import Vocab

TASK = "text"


def config_dict(cfg: TextConfig, vocab: Vocab, text_path, text: str) -> dict:
    return {
        "task": TASK,
        **cfg.to_dict(),
        "vocab": vocab.chars,
        "model": dataclasses.asdict(cfg.model(len(vocab))),
        "text": {"path": str(Path(text_path).resolve()), "sha256": text_sha256(text), "chars": len(text)},
    }


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_config(run_dir) -> dict:
    """config.json of a text run; UserError if it is missing, unreadable or
    belongs to another task."""
    run_dir = Path(run_dir)
    try:
        raw = runs.read_json(run_dir / "config.json")
        task = raw.get("task")
    except (OSError, ValueError, AttributeError):
        raise UserError("not_a_run", path=run_dir) from None
    if task != TASK:
        raise UserError("wrong_task", path=run_dir, expected=TASK)
    try:
        raw["_cfg"] = TextConfig.from_dict(raw)
        raw["_vocab"] = Vocab(raw["vocab"])
        raw["_model"] = model.ModelConfig(**raw["model"])
    except (KeyError, TypeError, ValueError):
        raise UserError("not_a_run", path=run_dir) from None
    return raw


def params_template(mcfg: model.ModelConfig):
    return model.init(jax.random.PRNGKey(0), mcfg)


def load_model(run_dir) -> tuple[model.ModelConfig, dict, list[str]]:
    """The trained model of an ``rnr text train`` run.

    Returns ``(mcfg, params, vocab)``: the ``rnr.model.ModelConfig`` (input
    "embed", n_in = n_out = len(vocab)), the parameters of the best
    checkpoint (lowest validation loss; the last one if no validation ran
    yet), and the vocabulary as a list of characters, id i being
    ``vocab[i]``. ``rnr.model.apply(mcfg, params, rnr.model.zeros(mcfg, B),
    ids)`` runs it on ids of shape (T, B) and gives logits (T, B, len(vocab)).

    Raises UserError when ``run_dir`` is not a text run or its checkpoint is
    missing or damaged.
    """
    raw = read_config(run_dir)
    mcfg = raw["_model"]
    run_dir = Path(run_dir)
    path = run_dir / "best.safetensors"
    if not path.exists():
        path = run_dir / "last.safetensors"
    tree, _ = ckpt.load(path, {"params": params_template(mcfg)})
    return mcfg, tree["params"], list(raw["_vocab"].chars)
