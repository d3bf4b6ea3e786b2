"""``rnr export RUN --torch OUT.safetensors``: weights for PyTorch (see rnr.export)."""

from __future__ import annotations

import os
from pathlib import Path

from rnr.i18n import t as _h
from rnr.i18n import text as msg

ORDER = 40


def add_parser(sub, common):
    p = sub.add_parser("export", parents=[common], help=_h("texthelp_38"),
                       description=_h("texthelp_39"))
    p.add_argument("run_dir", metavar="RUN", help=_h("texthelp_40"))
    p.add_argument("--torch", metavar="OUT.safetensors", help=_h("texthelp_41"))
    p.set_defaults(run=run)
    return p


def load_any(run_dir):
    """(ModelConfig, params, extra metadata) of a text or echo run."""
    from rnr import runs
    from rnr.errors import UserError

    try:
        task = runs.read_json(Path(run_dir) / "config.json").get("task")
    except (OSError, ValueError, AttributeError):
        raise UserError("not_a_run", path=run_dir) from None
    if task == "echo":
        from rnr import eco

        cfg, params = eco.load_run(run_dir)
        return cfg.model(), params, {}
    import json

    from rnr.text import load_model

    mcfg, params, vocab = load_model(run_dir)
    return mcfg, params, {"vocab": json.dumps(vocab, ensure_ascii=False)}


def run(args) -> int:
    from safetensors.numpy import save

    from rnr import export, runs
    from rnr.errors import UserError

    if not args.torch:
        raise UserError("export_need_target")
    out = Path(args.torch)
    if out.exists():
        raise UserError("export_exists", path=out)
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise UserError("export_not_writable", path=out, reason=f"{parent} is not a writable folder")
    mcfg, params, extra = load_any(args.run_dir)
    sd = export.torch_state_dict(mcfg, params)
    runs.atomic_write_bytes(out, save(sd, metadata={**export.torch_metadata(mcfg), **extra}))
    print(msg("export_done", args.lang, count=len(sd), path=out))
    return 0
