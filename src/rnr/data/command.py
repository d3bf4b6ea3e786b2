"""``rnr data``: named datasets on the command line.

    rnr data list                       name, kind, size, licence, cached or not
    rnr data get NAME [NAME...] | --all fetch into the cache, print the paths
    rnr data path NAME [--split S]      the cached path(s), fetched first if needed
    rnr data info NAME                  files, sources, checksums, licence, citation
"""

from __future__ import annotations

from rnr.i18n import number
from rnr.i18n import t as _h
from rnr.i18n import text as msg

ORDER = 45


def add_parser(sub, common):
    p = sub.add_parser("data", parents=[common], help=_h("data_help"), description=_h("data_help_long"))
    dsub = p.add_subparsers(dest="data_command", metavar=_h("meta_action"), parser_class=type(p))
    p.set_defaults(run=run, data_help=p.print_help)

    dsub.add_parser("list", parents=[common], help=_h("data_help_list"))

    g = dsub.add_parser("get", parents=[common], help=_h("data_help_get"))
    g.add_argument("names", nargs="*", metavar=_h("meta_name"), help=_h("data_help_names"))
    g.add_argument("--all", action="store_true", help=_h("data_help_all"))

    pa = dsub.add_parser("path", parents=[common], help=_h("data_help_path"))
    pa.add_argument("name", metavar=_h("meta_name"), help=_h("data_help_names"))
    pa.add_argument("--split", choices=("train", "test"), help=_h("data_help_split"))

    i = dsub.add_parser("info", parents=[common], help=_h("data_help_info"))
    i.add_argument("name", metavar=_h("meta_name"), help=_h("data_help_names"))
    return p


def run(args) -> int:
    """Run ``rnr data ACTION``; without an action, print the help (exit 2)."""
    actions = {"list": run_list, "get": run_get, "path": run_path, "info": run_info}
    if args.data_command is None:
        args.data_help()
        return 2
    return actions[args.data_command](args)


def _size(n: int, lang: str) -> str:
    return f"{number(n / 1e6, lang, '.1f')} MB" if n >= 1e6 else f"{number(n / 1e3, lang, '.1f')} kB"


def _licence(ds, lang: str) -> str:
    return msg("data_public_domain", lang) if ds.licence == "public domain" else ds.licence


def _needs_copy(ds) -> bool:
    """A file of ``ds`` is not cached and can come only from a mirror (unset) or a copy by hand."""
    from rnr.data import fetch

    return not fetch.mirror() and any(f.url is None and not fetch.is_cached(f) for f in ds.files.values())


def _cached(ds, lang: str) -> str:
    from rnr.data import fetch

    if all(fetch.is_cached(f) for f in ds.files.values()):
        return msg("data_yes", lang)
    return msg("data_no_manual" if _needs_copy(ds) else "data_no", lang)


def run_list(args) -> int:
    from rnr.data import fetch
    from rnr.data.registry import DATASETS

    lang = args.lang
    rows = [[msg(f"data_col_{c}", lang) for c in ("name", "kind", "size", "licence", "cached", "about")]]
    rows += [[d.name, msg(f"data_kind_{d.kind}", lang), _size(d.size, lang), _licence(d, lang), _cached(d, lang),
              msg(d.about, lang)] for d in DATASETS.values()]
    widths = [max(len(r[j]) for r in rows) for j in range(len(rows[0]) - 1)]
    for r in rows:
        print("  ".join([c.ljust(w) for c, w in zip(r, widths)] + [r[-1]]))
    print()
    print(msg("data_list_cache", lang, path=fetch.cache_dir()))
    if fetch.mirror():
        print(msg("data_list_mirror", lang, mirror=fetch.mirror()))
    else:
        for d in DATASETS.values():
            for f in d.files.values():
                if f.url is None and not fetch.is_cached(f):
                    print(msg("data_list_manual", lang, name=d.name, origin=f.origin, path=fetch.target(f)))
    return 0


def run_get(args) -> int:
    from rnr import data
    from rnr.errors import UserError

    if not args.names and not args.all:
        raise UserError("data_need_name")
    chosen = data.names() if args.all else [data.info(n).name for n in args.names]  # every name checked first
    if args.all:  # what can be downloaded first; a dataset that needs a copy by hand may stop the rest
        chosen.sort(key=lambda n: _needs_copy(data.info(n)))
    for name in dict.fromkeys(chosen):
        for p in data.paths(name).values():
            print(p, flush=True)
    return 0


def run_path(args) -> int:
    from rnr import data

    ds = data.info(args.name)
    if args.split and ds.kind != "classification":
        from rnr.errors import UserError

        raise UserError("data_bad_split", split=args.split, name=ds.name, choices=", ".join(ds.files))
    for role in ([args.split] if args.split else ds.files):
        print(data.path(ds.name, role if ds.kind == "classification" else None))
    return 0


def run_info(args) -> int:
    from rnr import data
    from rnr.data import fetch

    lang = args.lang
    ds = data.info(args.name)
    print(f"{ds.name}: {msg(ds.about, lang)}")
    for label, value in (("data_col_kind", msg(f"data_kind_{ds.kind}", lang)), ("data_col_licence", _licence(ds, lang)),
                         ("data_info_citation", ds.citation)):
        print(msg("data_info_field", lang, label=msg(label, lang), value=value))
    for f in ds.files.values():
        print()
        source = f.url or msg("data_info_manual", lang, origin=f.origin)
        cached = msg("data_yes" if fetch.is_cached(f) else "data_no", lang)
        for label, value in (("data_info_file", fetch.target(f)), ("data_info_source", source),
                             ("data_col_size", msg("data_info_bytes", lang, size=f.size)),
                             ("data_col_cached", cached)):
            print(msg("data_info_field", lang, label=msg(label, lang), value=value))
        print(f"SHA-256: {f.sha256}")
    return 0
