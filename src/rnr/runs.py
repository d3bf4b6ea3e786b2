"""The run directory: one folder per training command.

    config.json      every setting, enough to rerun or resume
    metrics.jsonl    one JSON object per log point
    summary.json     the outcome
    *.safetensors    checkpoints (see rnr.checkpoint)
    *.png            figures

Every file but ``metrics.jsonl`` is written atomically (temporary file in the
same folder, then rename), so a crash never leaves half a file behind.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from rnr.errors import UserError


def default_dir(task: str) -> Path:
    """``runs/<task>-<YYYYmmdd-HHMMSS>`` under the current directory."""
    return Path("runs") / f"{task}-{time.strftime('%Y%m%d-%H%M%S')}"


def check_writable(path: Path, allow_existing_run: bool = False) -> None:
    """Fail early with a clear message if ``path`` cannot take a new run.

    Nothing is created: the nearest existing ancestor must be a writable
    folder, and ``path`` itself must not already hold a run."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise UserError("out_not_writable", path=path, reason="it is a file")
    if not allow_existing_run and (path / "config.json").exists():
        raise UserError("out_not_empty", path=path)
    probe = path
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        raise UserError("out_not_writable", path=path, reason=f"{probe} is not a writable folder")


def create(path: Path) -> Path:
    """Make the run folder (and its parents)."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError("out_not_writable", path=path, reason=e.strerror or str(e)) from None
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, obj) -> None:
    atomic_write_bytes(path, (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode())


def read_json(path: Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def append_metrics(path: Path, record: dict) -> None:
    """Append one JSON line to ``metrics.jsonl``; each line is flushed whole."""
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")


def save_figure(fig, path: Path, dpi: int = 100) -> None:
    """Save a matplotlib figure atomically (format from the suffix)."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format=Path(path).suffix.lstrip(".") or "png", dpi=dpi)
    atomic_write_bytes(path, buf.getvalue())
