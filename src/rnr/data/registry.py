"""The named datasets: for each file a pinned source, its SHA-256 and its size.

A source is a URL at a fixed commit, never a moving branch. ``File.path`` is
where the file lies in the cache and in a mirror (text at the top level,
series under ``series/``, as in ``../shared/data``). The checksums and sizes
are those of ``../shared/data`` (``sha256sum``); the series files were
checked byte-identical (git blob hashes) to aeon's repository at ``AEON_COMMIT``,
and ``tinyshakespeare.txt`` to char-rnn's at ``CHAR_RNN_COMMIT``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rnr.errors import UserError

KINDS = ("text", "classification", "forecast")
CHAR_RNN_COMMIT = "6f9487a6fe5b420b7ca9afb0d7c078e37c1d1b4e"
AEON_COMMIT = "a101ddc8b35a65441609b45c9bcce5aeafa0c131"
_CHAR_RNN = f"https://raw.githubusercontent.com/karpathy/char-rnn/{CHAR_RNN_COMMIT}"
_AEON = f"https://raw.githubusercontent.com/aeon-toolkit/aeon/{AEON_COMMIT}/aeon/datasets/data"


@dataclass(frozen=True)
class File:
    path: str          # relative path in the cache and in a mirror
    url: str | None    # pinned source; None: only a mirror or a copy by hand
    sha256: str
    size: int          # bytes
    origin: str = ""   # where a file without ``url`` came from


@dataclass(frozen=True)
class Dataset:
    name: str
    kind: str          # one of KINDS
    files: dict        # role ("text", "train", "test", "series") -> File
    licence: str
    citation: str

    @property
    def about(self) -> str:
        """The message key of its one-line description."""
        return f"data_about_{self.name.lower()}"

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files.values())


_UCR = ("Dau, H. A. et al. (2019). The UCR time series archive. "
        "IEEE/CAA Journal of Automatica Sinica 6(6), 1293-1305.")
_UEA = ("Bagnall, A. et al. (2018). The UEA multivariate time series classification archive, 2018. "
        "arXiv:1811.00075.")
_AEON_LICENCE = "BSD-3-Clause (aeon)"  # the archive's own terms: free to use, cite it


def _pair(name: str, train: tuple[str, int], test: tuple[str, int], citation: str = _UCR) -> Dataset:
    """A classification dataset of the archive: ``<name>_TRAIN.ts`` and ``<name>_TEST.ts`` in aeon."""
    files = {role: File(f"series/{name}_{role.upper()}.ts", f"{_AEON}/{name}/{name}_{role.upper()}.ts", sha, size)
             for role, (sha, size) in (("train", train), ("test", test))}
    return Dataset(name, "classification", files, _AEON_LICENCE, citation)


def _series(name: str, folder: str, file: str, sha: str, size: int, citation: str) -> Dataset:
    """A forecasting dataset, ``aeon/datasets/data/<folder>/<file>`` in aeon."""
    return Dataset(name, "forecast", {"series": File(f"series/{file}", f"{_AEON}/{folder}/{file}", sha, size)},
                   _AEON_LICENCE, citation)


_FPP = "Hyndman, R. J. and Athanasopoulos, G. Forecasting: Principles and Practice. OTexts"

_ALL = [
    Dataset("tinyshakespeare", "text", {"text": File(
        "tinyshakespeare.txt", f"{_CHAR_RNN}/data/tinyshakespeare/input.txt",
        "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed", 1115394)},
        "public domain", "Karpathy, A. (2015). char-rnn. https://github.com/karpathy/char-rnn"),
    # Project Gutenberg's eBook #2000 without Gutenberg's header and licence footer: no URL serves
    # these bytes, so it comes only from a mirror or a copy by hand.
    Dataset("quijote", "text", {"text": File(
        "quijote.txt", None, "885581163e95c870e8661ff25249ba1d30206eee032e2006b3138b89ad55d9b7", 2128718,
        origin="https://www.gutenberg.org/ebooks/2000")},
        "public domain", "Cervantes, M. de (1605, 1615). Don Quijote de la Mancha. Project Gutenberg eBook #2000."),
    _pair("GunPoint", ("f842401779fd9800d247d8b33121a1a4643710a19b24917dbdd9a060ca8630d5", 84188),
          ("79332750788a6227b325b96bd0d70130c8eb707b9731f8d7dec62b7a7d36017e", 252305)),
    _pair("ItalyPowerDemand", ("341269cb7e6cef96846b30e774580beec79addb93848ba360145219115a74b7c", 18300),
          ("26122451f87dd0387ef90b18bc8a86c041371b8a1c068004922b939971247144", 274054)),
    _pair("BasicMotions", ("8dc43cc6306cb679c888c01e26f91772ac4441a916da43bac8b79734a538b9d6", 227790),
          ("79213102bc6fca1a398ad98ce1185dff0208fa3d1465e687f48288946b0ff8dc", 227713), _UEA),
    _pair("PickupGestureWiimoteZ", ("4d303d9990df621c066fc454d62626e3721aed008462103500b86b1ac1ca92c8", 43921),
          ("a9109bce918e48ee0e924e9cf2fdfdc4de364a3d88ec5e8aa44399ff08b11361", 44312)),
    _pair("OSULeaf", ("86b9d6e860414ffd26cebc62fff84ffb37fa588ef3e5bf79e4094a437c36ddfc", 953148),
          ("6c549dd354f9e42d5985fa5fab75321ca9acefc7873457e71467fc8a31f107ce", 1152821)),
    _pair("ACSF1", ("0646b90dc4843e02baed6b2ba345c5601a4991b6796565489cef1b2d92a7537b", 1658422),
          ("93e8aaeb44a10af181d24a156e60da7021193cd990ca28f263fccf3b905bfebf", 1659932)),
    _series("airline", "Airline", "Airline.csv",
            "28af0eb869db6d9fbd31d5af03993a0cbf36c0857c3eb046a068c094b60da851", 1744,
            "Box, G. E. P., Jenkins, G. M. and Reinsel, G. C. (1976). Time Series Analysis, "
            "Forecasting and Control, 3rd ed. Holden-Day. Series G."),
    _series("pbs", "PBS_dataset", "PBS_dataset.csv",
            "bfd1b67547b909218d2b6be1bdc67eb134886135f4bca157c1c6785285f2eb28", 2263, f"{_FPP}, 3rd ed."),
    _series("uschange", "Uschange", "Uschange.csv",
            "ab70b9bf82f99c962041bfd38dc9644f7a17930df71f24345bb71180f68809fe", 13267, f"{_FPP}, 2nd ed."),
    _series("solar", "solar", "solar.csv",
            "205b61343a9233f6f532e918154a19b177557086f77801ec26277a1868af7e7e", 9392,
            "Sheffield Solar, PV_Live national estimates for Great Britain. https://www.solar.sheffield.ac.uk/pvlive/"),
    _series("m1_yearly", "m1_yearly_dataset", "m1_yearly_dataset.tsf",
            "12866731b810af595e4d4c74e87597a7846eb3b4667ef884a67a7e9126bf5412", 30362,
            "Godahewa, R. et al. (2021). Monash time series forecasting archive. NeurIPS Datasets and Benchmarks; "
            "Makridakis, S. et al. (1982). The accuracy of extrapolation (time series) methods. "
            "Journal of Forecasting 1(2), 111-153."),
]

DATASETS: dict[str, Dataset] = {d.name.lower(): d for d in _ALL}  # lowercase name -> Dataset, in list order


def find(name) -> Dataset | None:
    """The dataset called ``name`` (any case), or None."""
    return DATASETS.get(str(name).lower())


def lookup(name) -> Dataset:
    """The dataset called ``name`` (any case); UserError naming the choices when there is none."""
    ds = find(name)
    if ds is None:
        raise UserError("data_unknown", name=name, choices=", ".join(d.name for d in _ALL))
    return ds
