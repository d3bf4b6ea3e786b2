"""``rnr export RUN --torch OUT.safetensors``: weights for PyTorch (see rnr.export.torch)."""

from __future__ import annotations

import os
from pathlib import Path

from rnr.i18n import t as _h
from rnr.i18n import text as msg
from rnr.io import files

ORDER = 40


def add_parser(sub, common):
    p = sub.add_parser("export", parents=[common], help=_h("export_help"),
                       description=_h("export_help_long"))
    p.add_argument("run_dir", metavar=_h("meta_run"), help=_h("export_help_run"))
    p.add_argument("--torch", metavar=_h("meta_torch_out"), help=_h("export_help_torch"))
    p.set_defaults(run=run)
    return p


def load_any(run_dir):
    """(ModelConfig, params, extra metadata) of a run with a model; the
    metadata is what its kind says the weights mean (``rnr.io.kinds``)."""
    from rnr.io import kinds, runs
    from rnr.errors import UserError

    run = runs.load_run(run_dir)
    if run.mcfg is None:
        raise UserError("run_no_model", path=run_dir, kind=run.kind)
    members = kinds.get(run.kind).members(run.cfg)
    if members > 1:
        raise UserError("export_ensemble", path=run_dir, members=members)
    return run.mcfg, run.params, kinds.get(run.kind).export_metadata(run.raw)


def run(args) -> int:
    from rnr.io import checkpoint
    from rnr.export import torch as export
    from rnr.errors import UserError

    if not args.torch:
        raise UserError("export_need_target")
    out = Path(args.torch)
    if out.exists():
        raise UserError("export_exists", path=out)
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        from rnr.errors import Msg

        raise UserError("export_not_writable", path=out, reason=Msg("reason_not_writable_folder", path=parent))
    mcfg, params, extra = load_any(args.run_dir)
    sd = export.torch_state_dict(mcfg, params)
    try:
        files.create_bytes(out, checkpoint.plain_bytes(sd, {**export.torch_metadata(mcfg), **extra}))
    except FileExistsError:
        raise UserError("export_exists", path=out) from None
    print(msg("export_done", args.lang, count=len(sd), path=out))
    if _forecasts_with_naive(args.run_dir):  # the weights are not what the run forecasts with
        print(msg("export_naive_chosen", args.lang, path=args.run_dir))
    return 0


def _forecasts_with_naive(run_dir) -> bool:
    """Does this forecasting run forecast with the seasonal naive (``rnr.series.fallback``)?"""
    from rnr.errors import UserError
    from rnr.io import runs
    from rnr.series import fallback

    try:
        _, cfg, _ = runs.read_config(Path(run_dir))
        return fallback.of_run(run_dir, getattr(cfg, "fallback", "none")) == fallback.NAIVE
    except UserError:  # no readable choice: the export itself is still the network's weights
        return False
