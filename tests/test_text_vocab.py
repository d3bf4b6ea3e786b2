import numpy as np
import pytest

from rnr.errors import UserError
from rnr.text.vocab import Vocab
from text_helpers import DATA, SPANISH


def test_round_trip_spanish_accents_and_emoji():
    v = Vocab.from_text(SPANISH)
    ids = v.encode(SPANISH)
    assert v.decode(ids) == SPANISH
    # one id per code point: ñ, ü, emoji are single symbols
    assert len(ids) == len(SPANISH)
    for ch in "ñÑüç🐧«":
        assert ch in v.chars
    assert v.chars == sorted(v.chars)
    assert ids.dtype == np.int32 and ids.max() == len(v) - 1


def test_round_trip_quijote():
    path = DATA / "quijote.txt"
    if not path.exists():
        pytest.skip("shared corpus absent")
    text = path.read_text(encoding="utf-8")[:200_000]
    v = Vocab.from_text(text)
    assert v.decode(v.encode(text)) == text
    assert "ñ" in v.index and "á" in v.index


def test_unknown_characters_are_named():
    v = Vocab.from_text("hola")
    with pytest.raises(UserError) as e:
        v.encode("hoy€", what="--prime")
    msg = e.value.message("en")
    assert "'y'" in msg and "'€'" in msg and "--prime" in msg
    assert "'y'" in e.value.message("es")
