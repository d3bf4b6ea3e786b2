"""A setting that several commands share is declared once (``rnr.settings.flags``):
the same range, help and --resume rule in every command's config."""

import dataclasses

from rnr import settings
from rnr.views.command import ViewOptions
from rnr.echo.experiment import EcoConfig
from rnr.series.config import SeriesConfig
from rnr.sweep.grid import SweepConfig
from rnr.text.config import EvalConfig, SampleConfig, TextConfig

CONFIGS = (EcoConfig, TextConfig, SampleConfig, EvalConfig, SeriesConfig, SweepConfig, ViewOptions)


def rules_by_flag():
    """{flag: {config name: its rules without the default}}."""
    out = {}
    for cls in CONFIGS:
        for f, rules, kind, _ in settings.fields(cls):
            out.setdefault(settings.flag_of(f, rules), {})[cls.__name__] = (kind, repr(dict(rules)))
    return out


def test_a_shared_flag_has_one_declaration():
    differ = {flag: by for flag, by in rules_by_flag().items() if len(set(by.values())) > 1}
    # EvalConfig's --batch/--window are optional overrides of the run's own (None: the run's): their
    # rules are the run's, so they may not differ either once declared through rnr.settings.flags
    assert differ == {}


def test_the_check_sees_a_difference():
    """The control: a config declaring --batch with another range is caught."""

    @dataclasses.dataclass(frozen=True)
    class Odd:
        batch: int = settings.setting(5, "flag_batch", low=1, high=7)

    rules = {settings.flag_of(f, r): repr(dict(r)) for f, r, _, _ in settings.fields(Odd)}
    ours = {settings.flag_of(f, r): repr(dict(r)) for f, r, _, _ in settings.fields(EcoConfig)}
    assert rules["--batch"] != ours["--batch"]


def test_help_shows_each_commands_own_default(capsys):
    from rnr.cli import main

    for argv, default in ((["eco", "--help"], "4"), (["text", "train", "--help"], "256"),
                          (["series", "train", "--help"], "64")):
        assert main(argv) == 0
        out = capsys.readouterr().out
        at = out.index("\n  --hidden")  # the option's line, not the usage
        line = " ".join(out[at:at + 200].split())
        assert f"default {default})" in line, (argv, line)
