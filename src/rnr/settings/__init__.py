"""Each setting written once.

A run's config is a frozen dataclass; each field declares, through
``setting(...)``, its default, its help message key, its range and whether
it may change on ``--resume``. From that one declaration come:

    add_arguments(parser, Config)     the command-line flags (--field-name, or
                                      the ``flag`` named; old spellings in
                                      ``aliases`` still parse, hidden from --help)
    from_args(Config, args, base,     the config from parsed flags (base: the
              resumed)                values under them; resumed: base is a
                                      stored run's config, for --resume)
    from_dict(Config, raw, where)     the config from a run's config.json,
                                      with every type checked and every field
                                      present (but those in the config's
                                      ``ADDED_LATER``: they take the value
                                      older runs had)
    validate(cfg, new)                ranges, finiteness, choices, then the
                                      config's own ``check()`` (cross-field
                                      rules, memory estimates) and, for a new
                                      run, ``check_new()``

A float must be finite; an integer must be a whole number inside its range
(seeds in [0, 2**32 - 1]); a choice must be one of its choices. Every
refusal is a UserError naming the flag and what it accepts.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import typing
from dataclasses import field

from rnr.errors import Msg, UserError

SEED_MAX = 2**32 - 1
INT_MAX = 2**62  # no count in rnr comes near; beyond it numpy's int64 overflows
FLOAT32_MAX = 3.4e38  # training runs in float32: a larger number would become infinity


def setting(default, help: str, *, low=None, high=None, above=None, below=None, choices=None,
            resume: bool = False, zero_is_none: bool = False, item=None, flag: str | None = None,
            aliases: tuple[str, ...] = (), metavar: str | None = None):
    """A config field with its rules.

    low/high: inclusive bounds; above/below: exclusive bounds (floats);
    choices: allowed values (a tuple, or a callable returning one, for
    registries filled at import time); resume: may change on --resume;
    zero_is_none: the flag value 0 means "off" (None), as ``--clip 0``;
    item: int or str, for tuple fields given as "a,b,c"; flag: the flag's
    name when it is not --field-name (CONTRIBUTING.md's table of flags: one
    name per meaning across commands); aliases: old names of the flag, still
    accepted but not shown in --help; help: message key of the help text,
    which may show {default} and {choices}; metavar: message key of the
    value's placeholder in --help (default: N, X or NAME by type)."""
    meta = dict(help=help, low=low, high=high, above=above, below=below, choices=choices, resume=resume,
                zero_is_none=zero_is_none, item=item, flag=flag, aliases=tuple(aliases),
                metavar=metavar)
    if isinstance(default, (list, dict)):
        raise TypeError("use a tuple for a list default")
    return field(default=default, metadata={"rnr": meta})


def fields(cls):
    """``[(dataclass field, rules, base type, optional)]`` for every declared setting."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        if "rnr" not in f.metadata:
            continue
        kind, optional = hints[f.name], False
        args = typing.get_args(kind)
        if type(None) in args:
            optional, kind = True, next(a for a in args if a is not type(None))
        out.append((f, f.metadata["rnr"], typing.get_origin(kind) or kind, optional))
    return out


def flag_of(f, rules) -> str:
    return "--" + (rules["flag"] or f.name.replace("_", "-"))


def _choices(rules):
    c = rules["choices"]
    return tuple(c()) if callable(c) else c


# ---------------------------------------------------------------- the parser

def _number(kind):
    """int or float for argparse, with the refusal in the user's language."""

    def parse(text: str):
        try:
            return kind(text)
        except ValueError:
            from rnr.i18n import t

            raise argparse.ArgumentTypeError(t("not_int" if kind is int else "not_float", value=text)) from None

    parse.__name__ = kind.__name__
    return parse


def _parser_type(kind, rules):
    """The argparse ``type`` for a field: tuples parse 'a,b,c'."""
    if kind in (int, float):
        return _number(kind)
    if kind is tuple:
        item = rules["item"] or str

        def parse(text: str):
            parts = [p.strip() for p in text.split(",") if p.strip()]
            try:
                return tuple(item(p) for p in parts)
            except ValueError:
                from rnr.i18n import t

                raise argparse.ArgumentTypeError(t("setting_list", value=text)) from None

        parse.__name__ = f"list of {item.__name__}"
        return parse
    return kind


def metavar(kind, rules) -> str:
    """The placeholder --help shows for a setting's value, in the reader's language."""
    from rnr.i18n import t

    if rules.get("metavar"):
        return t(rules["metavar"])
    if kind is tuple:
        return t("meta_list_int" if (rules["item"] or str) is int else "meta_list_name")
    return t({int: "meta_int", float: "meta_float"}.get(kind, "meta_name"))


def shown_default(value) -> str:
    """A default as a user would type it: "a,b" for a tuple, 0 for None (off)."""
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return "0" if value is None else str(value)


def add_arguments(parser, cls, exclude=(), defaults: dict | None = None) -> None:
    """One ``--flag`` per setting of ``cls`` (default None: "not given"), and
    each old spelling in ``aliases`` as a hidden flag of the same setting.
    ``defaults``: {field: text} shown as the default instead of the field's
    own (a sweep's defaults differ by task)."""
    from rnr.i18n import t

    for f, rules, kind, _ in fields(cls):
        if f.name in exclude:
            continue
        default = f.default
        shown = (defaults or {}).get(f.name) or shown_default(default)
        choices = ", ".join(map(str, _choices(rules))) if rules["choices"] is not None else ""
        if kind is bool:  # a switch: --flag or --no-flag
            parser.add_argument(flag_of(f, rules), dest=f.name, action=argparse.BooleanOptionalAction,
                                default=None, help=t(rules["help"], default=t("yes" if default else "no"),
                                                     choices=choices))
            continue
        parse = _parser_type(kind, rules)
        parser.add_argument(flag_of(f, rules), dest=f.name, type=parse, default=None, metavar=metavar(kind, rules),
                            help=t(rules["help"], default=shown, choices=choices))
        for old in rules["aliases"]:
            parser.add_argument("--" + old, dest=f.name, type=parse, default=None, help=argparse.SUPPRESS)


def given(cls, args) -> dict:
    """The settings the user gave on the command line, {field: value}."""
    out = {}
    for f, rules, _, _ in fields(cls):
        v = getattr(args, f.name, None)
        if v is not None:
            out[f.name] = None if rules["zero_is_none"] and v == 0 else v
    return out


def from_args(cls, args, base=None, resumed: bool = False, **fixed):
    """The validated config: the user's flags over ``base`` (or the defaults),
    then ``fixed`` values the command sets itself; ``resumed``: ``base`` is
    a stored run's (its rules for new runs, ``check_new``, are not applied)."""
    values = given(cls, args)
    cfg = dataclasses.replace(base, **values, **fixed) if base is not None else cls(**values, **fixed)
    return validate(cfg, new=not resumed)


def resume_conflicts(cls, args, stored) -> None:
    """Refuse any setting given with --resume that would change the stored
    run and may not change (only those declared ``resume=True`` may)."""
    for name, value in given(cls, args).items():
        f, rules = next((f, r) for f, r, _, _ in fields(cls) if f.name == name)
        if not rules["resume"] and value != getattr(stored, name):
            raise UserError("resume_conflict", flag=flag_of(f, rules), value=_show(getattr(args, name)),
                            stored=_show(getattr(stored, name)))


# ---------------------------------------------------------------- checking

def _rule(kind, rules) -> Msg:
    """What a field accepts, as a message in the reader's language."""
    if kind is bool:
        return Msg("rule_choices", choices="true, false")
    if rules["choices"] is not None:
        return Msg("rule_choices", choices=", ".join(map(str, _choices(rules))))
    lo, hi, above, below = rules["low"], rules["high"], rules["above"], rules["below"]
    # the bounds are what a user types on the command line: strings, so that no
    # language's separators change them (i18n writes numbers in the reader's way)
    if kind is int:
        if hi is None:
            return Msg("rule_int_min", low=str(lo if lo is not None else -INT_MAX))
        return Msg("rule_int", low=str(lo if lo is not None else -INT_MAX), high=str(hi))
    if hi is None and below is None:
        if above is not None:
            return Msg("rule_float_above", low=str(above))
        if lo is not None:
            return Msg("rule_float_min", low=str(lo))
        return Msg("rule_float", interval="[-3.4e38, 3.4e38]")
    left = f"[{lo}" if lo is not None else f"({above if above is not None else '-inf'}"
    right = f"{hi}]" if hi is not None else f"{below})"
    return Msg("rule_float", interval=f"{left}, {right}")


def check_value(f, rules, kind, optional, v) -> bool:
    """True when ``v`` is an acceptable value of the field."""
    if v is None:
        return optional
    if kind is tuple:
        return isinstance(v, tuple) and all(check_value(f, rules, rules["item"] or str, False, x) for x in v)
    if kind is int:
        if isinstance(v, bool) or not isinstance(v, int):
            return False
    elif kind is float:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or abs(v) > FLOAT32_MAX:
            return False
    elif not isinstance(v, kind):
        return False
    if rules["choices"] is not None and v not in _choices(rules):
        return False
    if kind in (int, float):
        lo = rules["low"] if rules["low"] is not None else (-INT_MAX if kind is int else None)
        hi = rules["high"] if rules["high"] is not None else (INT_MAX if kind is int else None)
        if lo is not None and v < lo or hi is not None and v > hi:
            return False
        if rules["above"] is not None and not v > rules["above"]:
            return False
        if rules["below"] is not None and not v < rules["below"]:
            return False
    return True


def validate(cfg, new: bool = False):
    """Check every declared setting of ``cfg``, then ``cfg.check()`` and, for
    a run about to be created (``new``), ``cfg.check_new()``: the rules a
    stored run need not meet to be loaded or resumed; returns cfg."""
    for f, rules, kind, optional in fields(type(cfg)):
        v = getattr(cfg, f.name)
        if not check_value(f, rules, kind, optional, v):
            rule = _rule(rules["item"] or str, rules) if kind is tuple else _rule(kind, rules)
            raise UserError("setting_bad", flag=flag_of(f, rules), value=_show(v), rule=rule)
    check = getattr(cfg, "check", None)
    if check:
        check()
    check_new = getattr(cfg, "check_new", None)
    if new and check_new:
        check_new()
    return cfg


def _show(v) -> str:
    if isinstance(v, tuple):
        return ",".join(map(_show, v))
    return repr(v) if isinstance(v, str) else str(v)  # "8", a string where a number belongs, shows its quotes


def from_dict(cls, raw: dict, where) -> object:
    """The config stored in a run's ``config.json`` (``raw``), every field's
    type and range checked. A missing field is refused by name (its default
    may not be what the run was trained with), except the fields a config
    lists in ``ADDED_LATER`` ({name: the value runs written before the
    setting existed trained with}): they take that value. Any problem raises
    UserError naming the file and the field."""
    values = {}
    later = getattr(cls, "ADDED_LATER", {})
    for f, rules, kind, optional in fields(cls):
        if f.name not in raw:
            if f.name in later:
                values[f.name] = later[f.name]
                continue
            raise UserError("run_config_missing", path=where, field=f.name)
        v = raw[f.name]
        if kind is tuple and isinstance(v, list):
            v = tuple(v)
        if kind is float and isinstance(v, int) and not isinstance(v, bool):
            v = float(v)
        values[f.name] = v
    try:
        cfg = cls(**values)
    except TypeError as e:
        raise UserError("run_config_bad", path=where, detail=str(e)) from None
    try:
        return validate(cfg)
    except UserError as e:
        raise UserError("run_config_field", path=where, problem=Msg(e.key, **e.fields)) from None


def to_dict(cfg) -> dict:
    """The settings of ``cfg`` as JSON-ready values (tuples become lists)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(cfg).items()}
