import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def data_dir():
    if not DATA.is_dir():
        pytest.skip(f"corpora not found at {DATA}")
    return DATA
