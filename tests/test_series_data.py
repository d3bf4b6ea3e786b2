"""Reading sequences (rnr.series): the UCR/UEA .ts format, CSV/TSV, NPZ and
forecasting tables, checked against the files' own text parsed here
independently; and every malformed file refused with its own message."""

from pathlib import Path

import numpy as np
import pytest

from rnr.cli import main
from rnr.errors import UserError
from rnr.series import metrics, tables
from rnr.series.sequences import Scaler
from rnr.series.ts_file import read_ts

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "series"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data/series not present")


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


@needs_data
@pytest.mark.parametrize("name,n,T,F,k", [("GunPoint_TRAIN", 50, 150, 1, 2), ("BasicMotions_TRAIN", 40, 100, 6, 4),
                                           ("PickupGestureWiimoteZ_TRAIN", 50, 361, 1, 10)])
def test_archive_files(name, n, T, F, k):
    d = read_ts(DATA / f"{name}.ts")
    assert d.X.shape == (n, T, F) and len(d.classes) == k and d.X.dtype == np.float32
    lines = [l for l in (DATA / f"{name}.ts").read_text().splitlines() if l and not l.startswith(("#", "@"))]
    first = lines[0].split(":")  # dimensions, then the label
    np.testing.assert_allclose(d.X[0, : d.lengths[0], F - 1], [float(v) for v in first[F - 1].split(",")], rtol=1e-6)
    assert d.classes[d.y[0]] == first[-1]
    assert d.lengths.max() == T and (d.X[np.arange(T)[None, :] >= d.lengths[:, None]] == 0).all()


def test_unequal_lengths_and_trailing_missing(tmp_path):
    p = write(tmp_path, "u.ts", "@problemName u\n@univariate false\n@dimensions 2\n@equalLength false\n"
                                "@classLabel true a b\n@data\n1,2,3:4,5,6:a\n7,?:8,NaN:b\n")
    d = read_ts(p)
    assert d.lengths.tolist() == [3, 1] and d.classes == ("a", "b") and d.y.tolist() == [0, 1]
    np.testing.assert_array_equal(d.X[1, 0], [7, 8])


@pytest.mark.parametrize("body,key", [
    ("@classLabel true a b\n@data\n1,2,3:c\n", "series_ts_label"),
    ("@classLabel true a b\n@data\n1,2,3\n", "series_ts_no_label"),
    ("@classLabel true a b\n@data\n1,2:3,4:a\n1,2:a\n", "series_ts_dims"),
    ("@classLabel true a b\n@data\n1,2:3:a\n", "series_ts_ragged"),
    ("@classLabel true a b\n@data\n1,?,3:a\n", "series_missing_value"),
    ("@classLabel true a b\n@data\n1,x,3:a\n", "series_value"),
    ("@classLabel true a b\n@data\n1,inf,3:a\n", "series_huge_value"),
    ("@classLabel true a b\n@data\n1,1e39:a\n", "series_huge_value"),
    ("@classLabel true a b\n@data\n1,3e38:a\n", "series_huge_value"),
    ("@classLabel true a a b\n@data\n1,2:a\n", "series_ts_classes_repeated"),
    ("@classLabel true a b\n@data\n\n", "series_no_sequences"),
    ("@classLabel true a b\n1,2:a\n", "series_ts_no_data"),
    ("@timeStamps true\n@data\n(1,2):a\n", "series_ts_timestamps"),
    ("   \n", "series_empty"),
])
def test_bad_ts_files(tmp_path, body, key):
    with pytest.raises(UserError) as e:
        read_ts(write(tmp_path, "bad.ts", body))
    assert e.value.key == key


def test_csv_and_tsv_sequences(tmp_path):
    d = tables.read_labelled_csv(write(tmp_path, "a.csv", "2,0.5,1.5,2.5\n1.0,3,4,\n"))
    assert d.classes == ("1", "2") and d.y.tolist() == [1, 0] and d.lengths.tolist() == [3, 2]
    t = tables.read_labelled_csv(write(tmp_path, "a.tsv", "x\t1\t2\ny\t3\t4\n"))
    np.testing.assert_array_equal(t.X[:, :, 0], [[1, 2], [3, 4]])
    with pytest.raises(UserError) as e:
        tables.read_labelled_csv(write(tmp_path, "h.csv", "Date,Passengers\n1949-01,112\n"))
    assert e.value.key == "series_csv_header"


def test_npz(tmp_path):
    X = np.random.default_rng(0).normal(size=(4, 6, 2))
    np.savez(tmp_path / "d.npz", X=X, y=np.array(["u", "v", "u", "v"]), lengths=np.array([6, 2, 3, 6]))
    d = tables.read_npz(tmp_path / "d.npz")
    assert d.lengths.tolist() == [6, 2, 3, 6] and d.classes == ("u", "v")
    np.testing.assert_allclose(d.X[1, :2], X[1, :2], rtol=1e-6)
    assert (d.X[1, 2:] == 0).all()
    np.savez(tmp_path / "o.npz", X=np.array([object()], dtype=object), y=np.array([1]))
    np.savez(tmp_path / "k.npz", Z=X)
    np.savez(tmp_path / "n.npz", X=np.full((2, 3), np.nan), y=np.array([0, 1]))
    (tmp_path / "z.npz").write_bytes(b"PK\x03\x04 not a zip")
    for name, key in (("o", "series_npz_objects"), ("k", "series_npz_keys"), ("n", "series_npz_value"),
                      ("z", "series_npz_bad")):
        with pytest.raises(UserError) as e:
            tables.read_npz(tmp_path / f"{name}.npz")
        assert e.value.key == key


def test_forecast_table(tmp_path):
    t = tables.read_table(write(tmp_path, "t.csv", "Date,a,b\n2020-01,1,10\n2020-02,2,20\n2020-03,3,30\n"))
    assert t.columns == ("a", "b") and t.values.tolist() == [[1, 10], [2, 20], [3, 30]]
    assert tables.season_from_dates(t.dates) == 12
    for body, key in (("a,b\n1,2\n3\n", "series_table_ragged"), ("a\n1\n\n2\nx\n", "series_value"),
                      ("1,2\n3,4\n", "series_table_header"), ("a,b\n1,\n", "series_table_missing"),
                      ("a\n", "series_table_short"),
                      ("a\n1\n-2e30\n", "series_huge_value")):
        with pytest.raises(UserError) as e:
            tables.read_table(write(tmp_path, "bad.csv", body))
        assert e.value.key == key, body


def test_scaler_uses_valid_steps_only():
    from rnr.series.sequences import pad

    d = pad([np.array([[1.0], [3.0]]), np.array([[5.0]])], [0, 1], ("a", "b"))
    s = Scaler.fit(d)
    np.testing.assert_allclose(s.mean, [3.0])
    np.testing.assert_allclose(s.std, [np.std([1.0, 3.0, 5.0])])
    assert (s.apply(d).X[1, 1] == 0).all()  # padding stays 0


def test_forecast_metrics_by_hand():
    history = np.array([1.0, 2, 3, 4, 2, 3, 4, 5])  # season 4: |2-1|,|3-2|,|4-3|,|5-4| = 1 each
    truth, guess = np.array([3.0, 4]), np.array([2.0, 6])
    assert metrics.naive_scale(history, 4) == 1.0
    assert metrics.mase(truth, guess, history, 4) == pytest.approx((1 + 2) / 2)
    assert metrics.rmse(truth, guess) == pytest.approx(np.sqrt((1 + 4) / 2))
    assert metrics.smape(truth, guess) == pytest.approx(100 * (2 * 1 / 5 + 2 * 2 / 10) / 2)
    np.testing.assert_array_equal(metrics.seasonal_naive(history, 6, 4), [2, 3, 4, 5, 2, 3])


def one_sentence(capsys, argv, *words):
    """``rnr`` refuses ``argv`` with exit code 2 and one line on stderr holding ``words``."""
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert all(w in err for w in words), err
    return err


def train(path, out):
    return ["series", "train", str(path), "--epochs", "1", "--out", str(out)]


def test_csv_whose_first_column_is_no_labels(tmp_path, capsys):
    rows = np.random.default_rng(0).normal(size=(20, 8))
    p = write(tmp_path, "x.csv", "".join(",".join(f"{v:.4f}" for v in r) + "\n" for r in rows))
    with pytest.raises(UserError) as e:
        tables.read_labelled_csv(p)
    assert e.value.key == "series_csv_no_labels" and e.value.fields["distinct"] == 20
    one_sentence(capsys, train(p, tmp_path / "r"), "first column", "label first")
    assert not (tmp_path / "r").exists()
    # labels written as decimals, repeated, are still labels
    d = tables.read_labelled_csv(write(tmp_path, "ok.csv", "".join(f"{0.5 + i % 2},{i},{i + 1}\n" for i in range(6))))
    assert d.classes == ("0.5", "1.5") and len(d) == 6


def test_zip_that_is_no_npz(tmp_path, capsys):
    import zipfile

    for members in ({"X": "1,2,3", "y": "0"}, {"X.npy": "not an array", "y.npy": "0"}):
        with zipfile.ZipFile(tmp_path / "x.npz", "w") as z:
            for name, text in members.items():
                z.writestr(name, text)
        with pytest.raises(UserError) as e:
            tables.read_npz(tmp_path / "x.npz")
        assert e.value.key == "series_npz_member" and e.value.fields["name"] == "X"
        one_sentence(capsys, train(tmp_path / "x.npz", tmp_path / "r"), "x.npz", "X")
    np.save(tmp_path / "a.npy", np.zeros((4, 3)))
    (tmp_path / "a.npy").rename(tmp_path / "a.npz")  # a plain .npy, not a zip
    one_sentence(capsys, train(tmp_path / "a.npz", tmp_path / "r"), "a.npz")
    np.savez(tmp_path / "o.npz", X=np.zeros((4, 3)), y=np.array(["a", 1, None, 2], dtype=object))
    one_sentence(capsys, train(tmp_path / "o.npz", tmp_path / "r"), "o.npz", "y", "objects")
    np.savez(tmp_path / "h.npz", X=np.full((4, 3), 1e35), y=np.array([0, 1, 0, 1]))
    one_sentence(capsys, train(tmp_path / "h.npz", tmp_path / "r"), "h.npz")
    assert not (tmp_path / "r").exists()


def test_ts_with_repeated_classes_or_huge_values_trains_no_broken_run(tmp_path, capsys):
    rows = "".join(f"{i},{i + 1},{2 * i}:{'ab'[i % 2]}\n" for i in range(8))
    p = write(tmp_path, "rep.ts", "@problemName x\n@univariate true\n@classLabel true a a b\n@data\n" + rows)
    one_sentence(capsys, train(p, tmp_path / "r"), "rep.ts", "twice")
    rows = "".join(f"{3e38 * (-1) ** i},3e38,-3e38:{'ab'[i % 2]}\n" for i in range(8))
    p = write(tmp_path, "big.ts", "@problemName x\n@univariate true\n@classLabel true a b\n@data\n" + rows)
    one_sentence(capsys, train(p, tmp_path / "r"), "big.ts", "line 5")
    assert not (tmp_path / "r").exists()


def test_scaler_of_large_values_is_finite():
    from rnr.series.sequences import pad

    d = pad([np.array([[1e29], [-1e29]]), np.array([[5e29]])], [0, 1], ("a", "b"))
    s = Scaler.fit(d)
    assert np.isfinite(s.mean).all() and np.isfinite(s.std).all()
    np.testing.assert_allclose(s.std, [np.std([1e29, -1e29, 5e29])], rtol=1e-6)
    assert np.isfinite(s.apply(d).X).all() and np.abs(s.apply(d).X).max() < 2


def test_a_truncated_or_foreign_archive_is_named_in_the_sentences_language(tmp_path):
    """The reason inside the sentence is rnr's, in English or Spanish, not the zip or NumPy library's English."""
    np.savez(tmp_path / "whole.npz", X=np.zeros((20, 20)), y=np.arange(20) % 2)
    data = (tmp_path / "whole.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(data[: len(data) * 2 // 3])  # the central directory is gone
    (tmp_path / "npy.npz").write_bytes(b"\x93NUMPY" + bytes(100))  # not a zip at all
    members = {}
    for name in ("cut", "npy"):
        with pytest.raises(UserError) as e:
            tables.read_npz(tmp_path / f"{name}.npz")
        assert e.value.key == "series_npz_bad"
        members[name] = (e.value.message("en"), e.value.message("es"))
    for en, es in members.values():
        assert "zip" in en and "File is not" not in en and "File is not" not in es
    import zipfile

    with zipfile.ZipFile(tmp_path / "short.npz", "w") as z:  # a member that ends early
        z.writestr("X.npy", _npy_bytes(np.zeros((20, 20)))[:300])
        z.writestr("y.npy", _npy_bytes(np.arange(20) % 2))
    with pytest.raises(UserError) as e:
        tables.read_npz(tmp_path / "short.npz")
    es = e.value.message("es")
    assert "EOF" not in es and "reading" not in es and "expected" not in es, es


def _npy_bytes(a) -> bytes:
    import io

    buf = io.BytesIO()
    np.save(buf, a)
    return buf.getvalue()


@pytest.mark.parametrize("written, fmt", [("1991 Jul", "%Y %b"), ("Jul 1991", "%b %Y"), ("1991-Jul", "%Y-%b"),
                                          ("2008 June", "%Y %B"), ("1991jul", "%Y%b")])
def test_months_as_r_writes_them(tmp_path, written, fmt):
    """tsibble's yearmonth ("1991 Jul") and zoo's yearmon ("Jul 1991"), read as Python's strptime reads them."""
    import datetime

    first = datetime.datetime.strptime(written, fmt)
    months = [(first.year + (first.month - 1 + k) // 12, (first.month - 1 + k) % 12 + 1) for k in range(30)]
    cells = [written] + [datetime.date(y, m, 1).strftime(fmt.replace("%B", "%b")) for y, m in months[1:]]
    path = tmp_path / "m.csv"
    path.write_text("Month,Scripts\n" + "".join(f"{c},{i + 1}\n" for i, c in enumerate(cells)))
    t = tables.read_table(path)
    expected = np.array([f"{y:04d}-{m:02d}" for y, m in months], dtype="datetime64[M]")
    np.testing.assert_array_equal(t.dates, expected)
    assert t.columns == ("Scripts",) and tables.season_from_dates(t.dates) == 12


def test_quarters_and_spanish_months(tmp_path):
    path = tmp_path / "q.csv"
    quarters = [f"{1970 + k // 4} Q{k % 4 + 1}" for k in range(12)]
    path.write_text("Quarter,Consumption\n" + "".join(f"{q},{0.5 + k}\n" for k, q in enumerate(quarters)))
    t = tables.read_table(path)
    assert list(t.dates.astype(str)) == [f"{1970 + k // 4}-{3 * (k % 4) + 1:02d}" for k in range(12)]
    assert tables.season_from_dates(t.dates) == 4
    path.write_text("mes,v\n1991 ene,1\n1991 feb,2\n1991 mar,3\n1991 abr,4\n1991 may,5\n")
    assert list(tables.read_table(path).dates.astype(str)) == ["1991-01", "1991-02", "1991-03", "1991-04", "1991-05"]


def test_pandas_index_column_is_not_a_series_and_half_hours_make_a_day(tmp_path):
    """A CSV from pandas' to_csv (a nameless first column 0, 1, 2...) with half-hourly UTC stamps."""
    pd = pytest.importorskip("pandas")
    stamps = pd.date_range("2021-05-01", periods=96, freq="30min", tz="UTC")
    frame = pd.DataFrame({"datetime_gmt": stamps.astype(str), "solar_gen": np.sin(np.arange(96) / 7.6) + 2})
    path = tmp_path / "s.csv"
    frame.to_csv(path)  # index=True: the first header cell is empty
    assert path.read_text().startswith(",datetime_gmt,solar_gen\n0,")
    t = tables.read_table(path)
    assert t.columns == ("solar_gen",) and len(t.values) == 96
    np.testing.assert_array_equal(t.dates, stamps.tz_convert(None).to_numpy().astype("datetime64[s]"))
    assert tables.season_from_dates(t.dates) == 48


def test_a_nameless_column_of_other_numbers_stays(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(",a\n" + "".join(f"{v},{i}\n" for i, v in enumerate([3, 1, 4, 1, 5, 9])))
    assert tables.read_table(path).columns == ("", "a")


@pytest.mark.parametrize("cells", [("1991-07", "1991 Aug", "1991-09"), ("1970 Q1", "1970 Apr", "1970 Q3")])
def test_dates_written_two_ways_are_one_sentence(tmp_path, capsys, cells):
    path = tmp_path / "mix.csv"
    path.write_text("d,v\n" + "".join(f"{c},{i}\n" for i, c in enumerate(cells)))
    capsys.readouterr()
    assert main(["series", "train", str(path), "--target", "v", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and f"'{cells[1]}'" in err and "line 3" in err
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("cell", ["2020 Junk", "Marketing 2019", "2020 Mayonnaise"])
def test_words_that_start_like_months_are_no_dates(tmp_path, cell):
    path = tmp_path / "w.csv"
    path.write_text(f"d,v\n{cell},1\n{cell},2\n")
    with pytest.raises(UserError) as e:
        tables.read_table(path)
    assert e.value.key == "series_value"


def test_only_a_first_nameless_column_of_consecutive_numbers_is_an_index(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(",v\n100,1\n101,2\n102,3\n")  # a sliced DataFrame's index
    assert tables.read_table(path).columns == ("v",)
    path.write_text("x,\n3,0\n4,1\n5,2\n")  # a nameless last column is data
    assert tables.read_table(path).columns == ("x", "")
