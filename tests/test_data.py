"""rnr.data: pinned checksums, the cache, folder and http mirrors, refusals, `rnr data`.

Nothing here reaches the internet: every fetch goes through RNR_DATA_MIRROR
(a folder, or an http.server on 127.0.0.1), or is refused before a download.
"""

import errno
import functools
import hashlib
import os
import http.server
import re
import shutil
import socket
import threading
from pathlib import Path

import numpy as np
import pytest

from rnr import cli, data
from rnr.data import fetch
from rnr.data.registry import DATASETS
from rnr.errors import UserError

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data not present")
AIRLINE = DATASETS["airline"].files["series"]


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    """An empty cache folder, and no mirror unless a test sets one."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("RNR_DATA_DIR", str(folder))
    monkeypatch.delenv("RNR_DATA_MIRROR", raising=False)
    return folder


def files_in(folder: Path) -> list[str]:
    """Every file under ``folder`` but the lock, hidden ones included."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name != ".lock")


@pytest.fixture
def serve():
    """serve(folder) -> the http:// address of a server on 127.0.0.1 for ``folder``."""
    servers = []

    def start(folder):
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def mirror_with(tmp_path, content: bytes) -> Path:
    """A mirror folder whose only file is series/Airline.csv with ``content``."""
    folder = tmp_path / "mirror"
    (folder / "series").mkdir(parents=True)
    (folder / "series" / "Airline.csv").write_bytes(content)
    return folder


# ---------------------------------------------------------------- the registry

@needs_data
def test_every_pinned_checksum_and_size_matches_shared_data():
    pinned = {}
    for ds in DATASETS.values():
        for f in ds.files.values():
            raw = (DATA / f.path).read_bytes()
            assert (len(raw), hashlib.sha256(raw).hexdigest()) == (f.size, f.sha256), f.path
            pinned[f.path] = ds.name
    on_disk = {str(p.relative_to(DATA)) for p in DATA.rglob("*") if p.is_file() and p.name != "README.md"}
    assert on_disk == set(pinned)  # every shared file is registered


def test_sources_are_pinned_to_a_commit():
    for ds in DATASETS.values():
        for f in ds.files.values():
            assert f.url is None or re.search(r"/[0-9a-f]{40}/", f.url), f.url
            assert f.url is not None or f.origin  # a mirror-only file says where it came from
    assert DATASETS["quijote"].files["text"].url is None


def test_names_are_case_insensitive():
    assert data.info("gunpoint").name == data.info("GUNPOINT").name == "GunPoint"
    assert data.names("text") == ["tinyshakespeare", "quijote"]
    assert "m1_yearly" in data.names("forecast")
    with pytest.raises(UserError, match="Unknown dataset 'nope'.*GunPoint"):
        data.info("nope")


def test_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("RNR_DATA_DIR", str(tmp_path / "a"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert fetch.cache_dir() == tmp_path / "a"
    monkeypatch.delenv("RNR_DATA_DIR")
    assert fetch.cache_dir() == tmp_path / "x" / "rnr" / "data"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # ignored, as XDG says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert fetch.cache_dir() == tmp_path / "home" / ".cache" / "rnr" / "data"


# ---------------------------------------------------------------- mirrors

@needs_data
def test_folder_mirror_relative_to_the_repo(monkeypatch, cache, tmp_path):
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("RNR_DATA_MIRROR", "../shared/data")
    p = data.path("TinyShakespeare")
    assert p == cache / "tinyshakespeare.txt" and p.read_bytes() == (DATA / "tinyshakespeare.txt").read_bytes()
    monkeypatch.setenv("RNR_DATA_MIRROR", str(tmp_path))  # an empty mirror: the cached file is used
    assert data.path("tinyshakespeare") == p
    assert files_in(cache) == ["tinyshakespeare.txt"]


@needs_data
def test_http_mirror(monkeypatch, cache, serve):
    monkeypatch.setenv("RNR_DATA_MIRROR", serve(DATA) + "/")
    got = data.paths("gunpoint")
    assert got == {"train": cache / "series" / "GunPoint_TRAIN.ts", "test": cache / "series" / "GunPoint_TEST.ts"}
    for p in got.values():
        assert p.read_bytes() == (DATA / "series" / p.name).read_bytes()
    assert files_in(cache) == ["series/GunPoint_TEST.ts", "series/GunPoint_TRAIN.ts"]


@pytest.mark.parametrize("over", ["folder", "http"])
@pytest.mark.parametrize("damage", ["byte", "truncated", "longer"])
def test_a_damaged_file_is_refused_and_nothing_stored(monkeypatch, cache, tmp_path, capsys, serve, over, damage):
    good = (DATA / AIRLINE.path).read_bytes() if DATA.is_dir() else b"x" * AIRLINE.size
    bad = {"byte": good[:100] + bytes([good[100] ^ 1]) + good[101:], "truncated": good[:-10],
           "longer": good + b"1961-01,400\n"}[damage]
    folder = mirror_with(tmp_path, bad)
    monkeypatch.setenv("RNR_DATA_MIRROR", str(folder) if over == "folder" else serve(folder))
    assert cli.main(["data", "get", "airline"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nothing was stored" in err
    assert {"byte": "SHA-256", "truncated": f"ended after 1,734 of {AIRLINE.size:,} bytes",
            "longer": "is longer than"}[damage] in err
    assert files_in(cache) == []


def test_unreachable_mirror_says_where_to_put_the_file(monkeypatch, cache, capsys):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("RNR_DATA_MIRROR", f"http://127.0.0.1:{port}")
    for lang, words, reason in (("en", "Could not download", os.strerror(errno.ECONNREFUSED)),
                                ("es", "No se pudo descargar", "conexión rechazada")):
        assert cli.main(["data", "get", "airline", "--lang", lang]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and words in err and reason in err
        assert str(cache / "series" / "Airline.csv") in err and "RNR_DATA_MIRROR" in err
    assert files_in(cache) == []


def test_a_mirror_that_is_not_a_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("RNR_DATA_MIRROR", str(tmp_path / "missing"))
    with pytest.raises(UserError, match="neither an existing folder"):
        data.path("airline")
    monkeypatch.setenv("RNR_DATA_MIRROR", str(tmp_path))
    with pytest.raises(UserError, match="The mirror has no .*Airline.csv"):
        data.path("airline")


# ---------------------------------------------------------------- interrupted downloads

@needs_data
def test_an_interrupted_copy_leaves_nothing_that_looks_whole(monkeypatch, cache):
    monkeypatch.setenv("RNR_DATA_MIRROR", str(DATA))
    opened = fetch._open

    class Dies:  # the stream of a process stopped midway
        def __init__(self, src):
            self.src, self.reads = src, 0

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.src.close()

        def read(self, n):
            self.reads += 1
            if self.reads == 2:
                raise KeyboardInterrupt
            return self.src.read(n)

    monkeypatch.setattr(fetch, "_open", lambda *a: Dies(opened(*a)))
    with pytest.raises(KeyboardInterrupt):
        data.path("gunpoint", "test")
    assert files_in(cache) == []
    monkeypatch.setattr(fetch, "_open", opened)
    assert data.path("gunpoint", "test").stat().st_size == DATASETS["gunpoint"].files["test"].size


@needs_data
def test_a_killed_copy_is_cleaned_and_a_wrong_size_replaced(monkeypatch, cache):
    (cache / "series").mkdir(parents=True)
    (cache / "series" / ".Airline.csv.k1ll3d.part").write_bytes(b"Date,Passengers\n1949-01,1")  # a SIGKILL's leftover
    (cache / "series" / "Airline.csv").write_bytes(b"not the file")
    monkeypatch.setenv("RNR_DATA_MIRROR", str(DATA))
    assert data.path("airline").read_bytes() == (DATA / AIRLINE.path).read_bytes()
    assert files_in(cache) == ["series/Airline.csv"]


# ---------------------------------------------------------------- quijote: mirror or copy only

@needs_data
def test_quijote_needs_a_mirror_or_a_copy(cache, capsys):
    assert cli.main(["data", "get", "quijote"]) == 2
    err = capsys.readouterr().err
    assert "no pinned download" in err and str(cache / "quijote.txt") in err and "RNR_DATA_MIRROR" in err
    assert cli.main(["data", "list"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"quijote .* no \(mirror or copy\)", out) and f"a copy at {cache / 'quijote.txt'}" in out
    cache.mkdir()
    shutil.copy(DATA / "quijote.txt", cache / "quijote.txt")  # the copy by hand
    assert data.load("quijote").startswith("Primera parte del ingenioso hidalgo")


# ---------------------------------------------------------------- the command

@needs_data
def test_list_and_get_in_english_and_spanish(monkeypatch, cache, capsys):
    monkeypatch.setenv("RNR_DATA_MIRROR", str(DATA))
    assert cli.main(["data", "get", "GunPoint", "airline"]) == 0
    assert capsys.readouterr().out.split() == [str(cache / "series" / n) for n in
                                               ("GunPoint_TRAIN.ts", "GunPoint_TEST.ts", "Airline.csv")]
    assert cli.main(["data", "path", "gunpoint", "--split", "test"]) == 0
    assert capsys.readouterr().out == f"{cache / 'series' / 'GunPoint_TEST.ts'}\n"
    assert cli.main(["data", "list"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("name ") and re.search(r"\nGunPoint +classification +336.5 kB .* yes ", out)
    assert re.search(r"\nairline +forecast .* yes ", out) and re.search(r"\nACSF1 .* no ", out)
    assert f"Cache folder: {cache}" in out
    assert cli.main(["data", "list", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("nombre ") and re.search(r"\nGunPoint +clasificación +336,5 kB .* sí ", out)
    assert re.search(r"\ntinyshakespeare +texto .* dominio público +no ", out)
    assert cli.main(["data", "info", "gunpoint", "--lang", "es"]) == 0
    assert "tamaño: 84.188 bytes" in capsys.readouterr().out
    assert cli.main(["data", "get", "--all"]) == 0
    assert sorted(capsys.readouterr().out.split()) == [str(cache / f) for f in files_in(cache)]
    assert len(files_in(cache)) == 19


def test_refusals_of_the_command(capsys):
    assert cli.main(["data", "get"]) == 2
    assert "--all" in capsys.readouterr().err
    assert cli.main(["data", "get", "gunpoint", "nope", "--lang", "es"]) == 2  # checked before any fetch
    assert "Conjunto de datos desconocido 'nope'" in capsys.readouterr().err
    assert cli.main(["data", "path", "airline", "--split", "train"]) == 2
    assert "'train' is not a split of airline" in capsys.readouterr().err
    assert cli.main(["data"]) == 2


# ---------------------------------------------------------------- load and resolve

def ts_by_hand(path: Path):
    """The values and labels of a univariate .ts file, parsed with NumPy alone."""
    rows = [line.rsplit(":", 1) for line in path.read_text().splitlines()
            if line.strip() and not line.startswith(("#", "@"))]
    return np.array([np.array(v.split(","), float) for v, _ in rows]), np.array([y.strip() for _, y in rows])


@needs_data
def test_load(monkeypatch):
    monkeypatch.setenv("RNR_DATA_MIRROR", str(DATA))
    X_train, y_train, X_test, y_test = data.load("GunPoint")
    assert X_train.shape == (50, 150, 1) and X_test.shape == (150, 150, 1)
    for X, y, split in ((X_train, y_train, "TRAIN"), (X_test, y_test, "TEST")):
        values, labels = ts_by_hand(DATA / "series" / f"GunPoint_{split}.ts")
        np.testing.assert_allclose(X[:, :, 0], values, rtol=1e-6)
        assert list(y) == list(labels)
    values, dates = data.load("airline")
    assert values.shape == (144, 1) and values[0, 0] == 112 and str(dates[0]) == "1949-01"
    assert data.load("tinyshakespeare").startswith("First Citizen:")
    try:
        from rnr.series.tsf_file import read_tsf  # noqa: F401
    except ImportError:
        with pytest.raises(UserError, match="cannot read .tsf files yet"):
            data.load("m1_yearly")


@needs_data
def test_resolve(monkeypatch, cache, tmp_path):
    monkeypatch.setenv("RNR_DATA_MIRROR", str(DATA))
    own = tmp_path / "GunPoint"
    own.write_text("mine")
    assert data.resolve(str(own), "series") == (str(own), None)  # a file wins over a name
    assert data.resolve("gunpoint", "series") == (cache / "series" / "GunPoint_TRAIN.ts",
                                                  cache / "series" / "GunPoint_TEST.ts")
    assert data.resolve("AIRLINE", "forecast") == (cache / "series" / "Airline.csv", None)
    assert data.resolve("airline", "classification") == ("airline", None)  # another kind: the command says
    assert data.resolve("tinyshakespeare", "series") == ("tinyshakespeare", None)
    assert data.resolve("missing.txt", "text") == ("missing.txt", None)
    assert data.resolve(None, "text") == (None, None)
    assert files_in(cache) == ["series/Airline.csv", "series/GunPoint_TEST.ts", "series/GunPoint_TRAIN.ts"]


@needs_data
@pytest.mark.parametrize("name, file, fmt, target", [
    ("pbs", "PBS_dataset.csv", "%Y %b", "Scripts"),
    ("uschange", "Uschange.csv", "quarter", "Consumption"),
    ("solar", "solar.csv", "%Y-%m-%d %H:%M:%S%z", "solar_gen")])
def test_every_forecasting_table_loads_with_its_dates(monkeypatch, name, file, fmt, target):
    """The named tables as they are published (tsibble months, quarters, a pandas index,
    UTC half-hours), against Python's csv and datetime reading the same file."""
    import csv
    import datetime

    monkeypatch.setenv("RNR_DATA_MIRROR", str(DATA))
    with open(DATA / "series" / file, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    stamp = body[0][header.index(target) - 1]  # the date column is the one before the target
    if fmt == "quarter":
        year, q = stamp.split(" Q")
        first = datetime.datetime(int(year), 3 * int(q) - 2, 1)
    else:
        first = datetime.datetime.strptime(stamp, fmt).replace(tzinfo=None)
    values, dates = data.load(name)
    assert len(values) == len(body) and np.isfinite(values).all()
    assert dates[0] == np.datetime64(first).astype(dates.dtype)
    column = [float(r[header.index(target)]) for r in body]
    assert any(np.array_equal(values[:, k], column) for k in range(values.shape[1]))
