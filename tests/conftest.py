import os
from pathlib import Path

import pytest

import rnr

os.environ.setdefault("MPLBACKEND", "Agg")
rnr.configure()  # as the CLI does: one CPU device per core (tests split batches over 2), the cache

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def data_dir():
    if not DATA.is_dir():
        pytest.skip(f"corpora not found at {DATA}")
    return DATA
