"""The environment, read in one place and checked before anything runs
(rnr.settings.environment): a variable whose value cannot work is one sentence
naming it, exit code 2, in English and Spanish, within seconds."""

import os
import subprocess
import sys
import time

import pytest

from rnr.cli import main
from rnr.errors import UserError
from helpers import SRC


BAD = [("RNR_JOIN_SECONDS", "abc"), ("RNR_JOIN_SECONDS", "0"), ("JAX_NUM_CPU_DEVICES", "99999999999"),
       ("JAX_NUM_CPU_DEVICES", "-3"), ("RNR_XLA_THREADS", "many"), ("RNR_NO_CACHE", "maybe"),
       ("JAX_PLATFORMS", "c p u"), ("SLURM_NTASKS", "0"), ("OMPI_COMM_WORLD_SIZE", "x")]


@pytest.mark.parametrize("name,value", BAD)
def test_each_bad_value_names_its_variable(name, value):
    from rnr.settings import environment

    with pytest.raises(UserError) as e:
        environment.check({name: value})
    assert e.value.key == "env_bad" and e.value.fields["name"] == name
    for lang in ("en", "es"):
        assert name in e.value.message(lang)


def test_good_values_and_the_readers(monkeypatch):
    from rnr.settings import environment

    environment.check({"RNR_JOIN_SECONDS": "30", "JAX_NUM_CPU_DEVICES": "4096", "RNR_NO_CACHE": "yes",
                       "RNR_XLA_THREADS": "single", "JAX_PLATFORMS": "cpu,cuda", "SLURM_NTASKS": "",
                       "RNR_DATA_MIRROR": "anything", "RNR_DATA_DIR": "/no/such/folder"})
    monkeypatch.setenv("RNR_JOIN_SECONDS", "7")
    monkeypatch.setenv("RNR_NO_CACHE", "0")
    monkeypatch.delenv("SLURM_NTASKS", raising=False)
    monkeypatch.setenv("OMPI_COMM_WORLD_SIZE", "3")
    assert environment.join_seconds() == 7 and not environment.no_cache()
    assert environment.launcher_processes() == 3
    monkeypatch.delenv("RNR_JOIN_SECONDS")
    assert environment.join_seconds() == environment.JOIN_SECONDS_DEFAULT
    long = "9" * 100_000  # shown shortened: still one short line
    with pytest.raises(UserError) as e:
        environment.check({"JAX_NUM_CPU_DEVICES": long})
    assert len(e.value.message("en")) < 300


@pytest.mark.parametrize("name,value", [("RNR_JOIN_SECONDS", "abc"), ("JAX_NUM_CPU_DEVICES", "99999999999"),
                                        ("RNR_NO_CACHE", "maybe")])
def test_main_refuses_before_anything_runs(monkeypatch, capsys, name, value):
    monkeypatch.setenv(name, value)
    assert main(["--lang", "es", "--help"]) == 2
    err = capsys.readouterr().err
    assert name in err and "variable de entorno" in err and len(err.strip().splitlines()) == 1


def rnr(*args, **env):
    full = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), **env}
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "rnr", *args], env=full, capture_output=True, text=True, timeout=120)
    return p, time.monotonic() - t0


def test_a_bad_join_seconds_is_one_sentence_not_a_traceback(tmp_path):
    p, seconds = rnr("text", "train", "x.txt", "--steps", "1", RNR_JOIN_SECONDS="abc")
    assert p.returncode == 2 and "RNR_JOIN_SECONDS=abc" in p.stderr and "Traceback" not in p.stderr, p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and seconds < 30


@pytest.mark.skipif(os.path.exists("/dev/nvidia0") or os.path.exists("/dev/kfd"), reason="this machine has a GPU")
def test_a_platform_that_is_not_present_is_named(tmp_path):
    for lang, words in (("en", "not present"), ("es", "no existe")):
        p, seconds = rnr("--lang", lang, "eco", "--epochs", "1", "--out", str(tmp_path / lang), JAX_PLATFORMS="gpu")
        assert p.returncode == 2 and "JAX_PLATFORMS=gpu" in p.stderr and words in p.stderr, p.stderr
        assert len(p.stderr.strip().splitlines()) == 1 and seconds < 60
        assert not (tmp_path / lang).exists()
