"""The run directory: one folder per training command, created, locked,
written and read back here and nowhere else.

    config.json         every setting (enough to rerun or resume); written
                        last when a run is created, so a folder with a
                        config.json always has a checkpoint beside it
    last.safetensors    the checkpoint (see rnr.io.checkpoint), written before
                        training starts and then at every checkpoint point
    metrics.jsonl       one JSON object per log point, each with "step";
                        cut back to the checkpoint's step on resume. Every
                        file here is strict JSON: ``null`` where a number
                        belongs means "not a number" (NaN, infinity)
    summary.json        the outcome
    events.out.tfevents.*  the metrics' scalars for TensorBoard (``rnr.io.tensorboard``),
                        cut back with ``metrics.jsonl``; on resume the points
                        a killed process had not flushed yet are written again
                        from ``metrics.jsonl``, so both hold the same history
    *.png, *.html       figures and pages
    .lock               held (flock) while a process trains in the folder

Every file but ``metrics.jsonl`` and the event files (both appended) is
written atomically (``rnr.io.files``): a temporary file in the same folder,
fsync, rename, fsync of the folder. A crash leaves either
the old file or the new one; temporary files a killed process left behind
are removed by the next process that takes the lock. The lock is an
``flock`` on the folder: the kernel drops it when its process dies, however
it dies, so a dead owner's lock is simply taken over, and taking it writes
nothing.

``load_run(path)`` reads any run back for every command (sample, eval, view,
export, --resume): it validates ``config.json`` field by field against the
run kind's settings (a field missing is refused by name), the checkpoint's
tensors against the config's model (the same names, shapes and types, none
more), and what the checkpoint was trained with beside the settings (the
run kind's ``facts``: the vocabulary's order, the scaler) against
``config.json``: every checkpoint the trainer writes stores their hashes.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from rnr.io import checkpoint, kinds, tensorboard
from rnr.errors import Msg, UserError, os_error
from rnr.io import files

CONFIG, CHECKPOINT, BEST, METRICS, SUMMARY = (
    "config.json", "last.safetensors", "best.safetensors", "metrics.jsonl", "summary.json")
CONFIG_MAX_BYTES = 64 * 2**20  # a config.json is a few kB (the vocabulary included)
REFIT = "refit.safetensors"  # a series run's network trained again on all its training data (``--refit``)

def default_dir(task: str) -> Path:
    """``runs/<task>-<YYYYmmdd-HHMMSS>`` under the current directory."""
    return Path("runs") / f"{task}-{time.strftime('%Y%m%d-%H%M%S')}"


# ---------------------------------------------------------------- writing

def append_metrics(path: Path, record: dict) -> None:
    """Append one JSON line to ``metrics.jsonl``."""
    if not files.writes_here():
        return
    record = files.finite(record)  # NaN and infinity: null, in both files
    files.append_line(path, files.dumps(record, ensure_ascii=False))
    tensorboard.add(Path(path).parent, record)  # the same scalars for TensorBoard


def cut_metrics(path: Path, step: int) -> None:
    """Keep the lines of ``metrics.jsonl`` up to ``step`` (and drop a line a
    crash left half-written), so a resumed run repeats no line."""
    if not files.writes_here():
        return
    path = Path(path)
    tensorboard.cut(path.parent, step)  # and the event files, so TensorBoard shows the same
    if not path.exists():
        return
    kept, records = [], []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict) and isinstance(rec.get("step"), int) and rec["step"] <= step:
            kept.append(line + "\n")
            records.append(rec)
    files.atomic_write_bytes(path, "".join(kept).encode())
    restore_events(path.parent, records)


def restore_events(folder: Path, records: list[dict]) -> None:
    """Write again the TensorBoard points of ``records`` (metrics lines) that
    no event file of ``folder`` holds: those a killed process had appended to
    metrics.jsonl but not yet flushed to its event file."""
    have = tensorboard.points(folder)
    for rec in records:
        step = rec["step"]
        values = tensorboard.scalars(rec)
        missing = {tag for tag in values if (step, tag) not in have}
        if not missing:
            continue
        if missing != set(values):  # part of the line reached the event file: the rest only
            rec = {"step": step, **{k: v for k, v in rec.items()
                                    if set(tensorboard.scalars({"step": step, k: v})) & missing}}
        tensorboard.add(folder, rec)


# ---------------------------------------------------------------- the folder

class Run:
    """A run folder held by this process (``create`` or ``resume``); ``close``
    (or the end of a ``with`` block, or the process's death) lets it go."""

    def __init__(self, path: Path, fd: int):
        self.path, self._fd = Path(path), fd
        self.facts = {}  # what every checkpoint of the run stores beside its position (``facts``)

    def file(self, name: str) -> Path:
        return self.path / name

    @staticmethod
    def check_new(path: Path) -> None:
        """Fail early, creating nothing, if ``path`` cannot take a new run."""
        path = Path(path)
        if path.exists() and not path.is_dir():
            raise UserError("out_not_writable", path=path, reason=Msg("reason_is_file"))
        if (path / CONFIG).exists():
            raise UserError("out_not_empty", path=path)
        probe = path
        while not probe.exists():
            probe = probe.parent
        if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
            raise UserError("out_not_writable", path=path, reason=Msg("reason_not_writable_folder", path=probe))

    @classmethod
    def create(cls, path: Path) -> "Run":
        """Make and lock a new run folder. It holds no ``config.json`` until
        ``finish_creating`` writes it after the first checkpoint."""
        path = Path(path)
        if not files.writes_here():
            return cls(path, None)
        cls.check_new(path)
        made = not path.exists()
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise os_error(e, path) from None  # in the reader's language
        try:
            run = cls._lock(path)
        except UserError:
            if made:
                _rmdir_quietly(path)
            raise
        if (path / CONFIG).exists():  # another process finished creating it meanwhile
            run.close()
            raise UserError("out_not_empty", path=path)
        run.clean()
        return run

    def finish_creating(self, config: dict) -> None:
        """Write ``config.json``: from now on the folder is a run."""
        files.write_json(self.file(CONFIG), config)

    @classmethod
    def resume(cls, path: Path, step: int | None = None) -> "Run":
        """Lock an existing run to continue it; removes stale temporary files
        and cuts ``metrics.jsonl`` back to ``step`` (the checkpoint's)."""
        if not files.writes_here():
            return cls(Path(path), None)
        run = cls._lock(Path(path))
        run.clean()
        if step is not None:
            cut_metrics(run.file(METRICS), step)
        return run

    @classmethod
    def _lock(cls, path: Path) -> "Run":
        """flock the folder itself (nothing is written to take the lock)."""
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as e:
            raise os_error(e, path) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise UserError("run_in_use", path=path) from None
        return cls(path, fd)

    def clean(self) -> None:
        """Remove temporary files a killed writer left behind."""
        files.remove_temporaries(self.path)

    def close(self) -> None:
        # its event files, flushed; a write error is reported unless another error is on its way out
        tensorboard.close(self.path, quiet=sys.exc_info()[0] is not None)
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _rmdir_quietly(path: Path) -> None:
    try:
        path.rmdir()
    except OSError:
        pass


# ---------------------------------------------------------------- reading

@dataclass
class LoadedRun:
    """A run read back: its kind ("echo", "text", "sweep"), its settings (the
    kind's frozen config dataclass), the raw ``config.json``, and for runs
    with a model, the ``rnr.engine.model.ModelConfig``, the parameters and the
    checkpoint's metadata."""
    path: Path
    kind: str
    cfg: object
    raw: dict
    mcfg: object = None
    params: object = None
    meta: dict | None = None
    checkpoint: Path | None = None


def read_config(path: Path) -> tuple[str, object, dict]:
    """``(kind, cfg, raw)`` of the run in ``path``, validated; UserError if
    the folder is no run or its ``config.json`` was damaged or edited badly."""
    from rnr import settings

    path = Path(path)
    cfg_path = path / CONFIG
    if not cfg_path.is_file():
        raise UserError("not_a_run", path=path)
    try:
        if cfg_path.stat().st_size > CONFIG_MAX_BYTES:
            raise UserError("run_config_bad", path=cfg_path, detail=Msg("detail_too_large"))
        raw = files.read_json(cfg_path)
    except OSError as e:
        raise os_error(e, cfg_path) from None
    except (ValueError, RecursionError):
        raise UserError("run_config_bad", path=cfg_path, detail=Msg("detail_not_json")) from None
    if not isinstance(raw, dict):
        raise UserError("run_config_bad", path=cfg_path, detail=Msg("detail_not_object"))
    name = raw.get("task")
    if name not in kinds.names():
        raise UserError("run_config_bad", path=cfg_path, detail=Msg("detail_unknown_task", task=repr(name)))
    kind = kinds.get(name)
    cfg = settings.from_dict(kind.config, kind.stored_settings(raw), where=cfg_path)
    kind.check_stored(cfg, raw, cfg_path)
    return name, cfg, raw


def facts(raw: dict) -> dict[str, str]:
    """{name: SHA-256} of what a run's checkpoints were trained with beside
    the settings (the run kind's ``facts``: the vocabulary, the scaler)."""
    kind = kinds.get(raw["task"])
    return {name: hashlib.sha256(files.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
            for name, value in kind.facts(raw).items()}


def check_facts(raw: dict, meta: dict, path: Path) -> None:
    """Refuse a checkpoint (``meta``, read from ``path``) trained with other
    facts than ``config.json`` (``raw``) holds: a vocabulary reordered, a
    scaler edited. A checkpoint that stores none (an older rnr's) passes."""
    stored = meta.get("facts")
    if stored is None:
        return
    if not isinstance(stored, dict):
        raise UserError("checkpoint_corrupt", path=path)
    for name, digest in facts(raw).items():
        if stored.get(name) != digest:
            raise UserError("checkpoint_other_facts", path=path, name=name)


def load_run(path, kind: str | None = None, which: str = "best", template_extra: dict | None = None) -> LoadedRun:
    """Read and validate a run: config, model config and parameters.

    ``kind``: refuse runs of another kind. ``which``: "best" reads the
    network the run offers for use: ``refit.safetensors`` when present
    (``rnr.series.refit``), else ``best.safetensors``, else the last
    checkpoint; "last" the last checkpoint. ``template_extra``: more top-level names to read
    from the checkpoint besides "params" (e.g. {"opt": ..., "carry": ...}).
    """
    import jax

    from rnr.engine import model

    path = Path(path)
    got, cfg, raw = read_config(path)
    if kind is not None and got != kind:
        raise UserError("wrong_task", path=path, expected=kind)
    run = LoadedRun(path, got, cfg, raw)
    make_model = kinds.get(got).model_config
    mcfg = make_model(cfg, raw) if make_model is not None else None
    if mcfg is None:
        return run
    ck = path / CHECKPOINT
    if which == "best":
        ck = next((path / name for name in (REFIT, BEST) if (path / name).is_file()), ck)
    params = model.init(jax.random.PRNGKey(0), mcfg)
    members = kinds.get(got).members(cfg)
    if members > 1:  # an ensemble: every member's parameters on a leading axis
        params = jax.tree_util.tree_map(lambda a: jax.numpy.stack([a] * members), params)
    template = {"params": params, **(template_extra or {})}
    tree, meta = checkpoint.load(ck, template)
    check_facts(raw, meta, ck)
    run.mcfg, run.params, run.meta, run.checkpoint = mcfg, tree["params"], meta, ck
    run.tree = tree
    return run
