import numpy as np

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
