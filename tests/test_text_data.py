import numpy as np
import pytest

from rnr.errors import UserError
from rnr.text import data


def test_windows_follow_rows_and_order():
    ids = np.arange(1000, dtype=np.int32)  # id == position: easy to read back
    B, w = 4, 7
    X, Y = data.windows(ids, B, w)
    L = (len(ids) - 1) // B
    K = L // w
    assert X.shape == Y.shape == (K, w, B)
    for k in range(K):
        for t in range(w):
            for b in range(B):
                pos = b * L + k * w + t  # row b is the b-th contiguous stretch
                assert X[k, t, b] == pos
                assert Y[k, t, b] == pos + 1  # target: the next character
    # window k+1 of a row starts where window k ended: the carried state fits
    assert np.all(X[1:, 0, :] == X[:-1, -1, :] + 1)
    assert data.n_windows(len(ids), B, w) == K


def test_padded_rows_cover_every_pair_once():
    ids = np.arange(101, dtype=np.int32)
    X, Y, M = data.padded_rows(ids, 3, 8)
    xs, ys = X[M > 0], Y[M > 0]
    assert M.sum() == 100
    assert np.all(ys == xs + 1)
    assert sorted(xs.tolist()) == list(range(100))


def test_split_holds_out_the_end():
    ids = np.arange(50)
    tr, va = data.split(ids, 0.1)
    assert tr.tolist() == list(range(45)) and va.tolist() == list(range(45, 50))


UTF16_TEXT = "hola, señor\n¿qué tal? 東京 😀\n" * 3


@pytest.mark.parametrize("codec,iconv", [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16LE"),
                                         ("utf-16-be", "UTF-16BE"), ("utf-32", "UTF-32")])
def test_utf16_is_told_apart_from_binary_with_the_fix(tmp_path, codec, iconv):
    """Python's codecs write the file; the message names the encoding and the
    iconv command that converts it, in English and in Spanish."""
    path = tmp_path / "corpus.txt"
    path.write_bytes(UTF16_TEXT.encode(codec))
    with pytest.raises(UserError) as e:
        data.read_text(path)
    assert e.value.key != "text_binary"
    for lang in ("en", "es"):
        words = e.value.message(lang)
        assert f"iconv -f {iconv} -t UTF-8" in words and str(path) in words


def test_short_utf16_and_binary(tmp_path):
    path = tmp_path / "hola.txt"
    path.write_bytes("hola".encode("utf-16"))
    with pytest.raises(UserError) as e:
        data.read_text(path)
    assert "iconv -f UTF-16 " in str(e.value)
    # zero bytes that do not read as UTF-16 text stay "binary"
    for raw in (np.arange(64, dtype=np.int32).tobytes(), bytes(range(256)) * 4, b"\xff\xfe\x00\x00\x01\x00"):
        path.write_bytes(raw)
        with pytest.raises(UserError) as e:
            data.read_text(path)
        assert e.value.key == "text_binary"
    path.write_bytes("\ufeffhola".encode("utf-8"))  # UTF-8 with a BOM still reads
    assert data.read_text(path) == "hola"
