import os
import sys
from pathlib import Path

import pytest

import rnr

os.environ.setdefault("MPLBACKEND", "Agg")
rnr.configure()  # as the CLI does: one CPU device per core (tests split batches over 2), the cache

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))  # peers/: the PyTorch programs tests compare with
DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def data_dir():
    if not DATA.is_dir():
        pytest.skip(f"corpora not found at {DATA}")
    return DATA
