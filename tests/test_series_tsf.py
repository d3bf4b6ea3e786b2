"""The Monash forecasting archive's .tsf format (rnr.series.tsf_file): the M1
yearly file checked against its own text split here by hand, small files
with missing values and without dates, every malformed file refused with a
sentence that names its line, and a .tsf as a forecasting table."""

from pathlib import Path

import numpy as np
import pytest

from rnr.cli import main
from rnr.errors import UserError
from rnr.series import tables
from rnr.series.tsf_file import SEASONS, panel_of, read_tsf, table_of

M1 = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "series" / "m1_yearly_dataset.tsf"

HEADER = "@relation r\n@attribute series_name string\n@attribute start_timestamp date\n@frequency monthly\n" \
         "@horizon 2\n@missing true\n@equallength true\n@data\n"


def write(tmp_path, body, name="s.tsf"):
    p = tmp_path / name
    p.write_text(body)
    return p


@pytest.mark.skipif(not M1.is_file(), reason="../shared/data/series not present")
def test_m1_yearly_against_a_plain_split():
    d = read_tsf(M1)
    lines = [l for l in M1.read_text().splitlines() if l and not l.startswith(("#", "@"))]
    assert len(d.series) == len(lines) == 181 and d.horizon == 6 and d.frequency == "yearly"
    assert min(map(len, d.series)) == 15 and max(map(len, d.series)) == 58
    for i, line in enumerate(lines):
        name, start, values = line.split(":")
        assert d.names[i] == name
        assert str(d.starts[i]) == start[:10] + "T" + start[11:].replace("-", ":")
        assert d.series[i].dtype == np.float64
        np.testing.assert_array_equal(d.series[i], [float(v) for v in values.split(",")])
    with pytest.raises(UserError) as e:  # unequal lengths: no single table
        tables.read_table(M1)
    assert e.value.key == "series_tsf_not_table" and "15" in str(e.value) and "58" in str(e.value)


def test_missing_values_numeric_attributes_and_no_dates(tmp_path):
    d = read_tsf(write(tmp_path, "# a comment\n@attribute id numeric\n@attribute name string\n"
                                 "@data\n7:a:1,?,3.5\n\n8:b: 4 , 5\n"))
    assert d.names == ["a", "b"] and d.starts is None and d.frequency is None and d.horizon is None
    np.testing.assert_array_equal(d.series[0], [1, np.nan, 3.5])
    np.testing.assert_array_equal(d.series[1], [4, 5])
    assert d.lines == [5, 7]
    d = read_tsf(write(tmp_path, "@data\n1,2\n3\n"))  # no attributes at all: the series are numbered
    assert d.names == ["1", "2"] and [len(s) for s in d.series] == [2, 1]


@pytest.mark.parametrize("body,key,line", [
    ("@attribute n string\nA:1,2\n", "series_tsf_before_data", 2),
    ("@attribute n string\n@horizon 2\n", "series_tsf_no_data", None),
    ("@attribute n string\n@attribute s date\n@data\nA:1,2\n", "series_tsf_fields", 4),
    ("@attribute n string\n@data\nA:B:1,2\n", "series_tsf_fields", 3),
    ("@attribute n string\n@data\nA:1,2\nB:1,x\n", "series_value", 4),
    ("@attribute n string\n@data\nA:\n", "series_tsf_empty", 3),
    ("@attribute n string\n@data\nA:?,?\n", "series_tsf_empty", 3),
    ("@attribute n text\n@data\nA:1\n", "series_tsf_attribute", 1),
    ("@attribute n\n@data\nA:1\n", "series_tsf_attribute", 1),
    ("@horizon 0\n@data\n1,2\n", "series_tsf_horizon", 1),
    ("@horizon -3\n@data\n1,2\n", "series_tsf_horizon", 1),
    ("@relation r\n@horizon 1.5\n@data\n1,2\n", "series_tsf_horizon", 2),
    ("@horizon\n@data\n1,2\n", "series_tsf_horizon", 1),
    ("@horizn 6\n@data\n1,2\n", "series_tsf_header", 1),
    ("@attribute s date\n@data\n1972-13-01 00-00-00:1,2\n", "series_tsf_date", 3),
    ("@attribute s date\n@data\n:1,2\n", "series_tsf_date", 3),
    ("@attribute v numeric\n@data\nabc:1,2\n", "series_value", 3),
    ("@data\n1,inf\n", "series_huge_value", 2),
    ("@data\n1,2e30\n", "series_huge_value", 2),
    ("@data\n\n# nothing\n", "series_no_sequences", None),
])
def test_malformed_files_name_their_line(tmp_path, body, key, line):
    with pytest.raises(UserError) as e:
        read_tsf(write(tmp_path, body))
    assert e.value.key == key, str(e.value)
    assert e.value.fields.get("line") == line
    message = str(e.value)
    assert message.count(". ") == 0 and message.endswith(".") and "\n" not in message
    if line is not None:
        assert f"line {line}:" in message


def test_equal_series_become_the_columns_of_a_table(tmp_path):
    p = write(tmp_path, HEADER + "A:2020-11-01 00-00-00:1,2,3\nB:2020-11-01 00-00-00:4,5,6\n")
    t = tables.read_table(p)
    assert t.columns == ("A", "B") and t.values.tolist() == [[1, 4], [2, 5], [3, 6]]
    assert [str(d) for d in t.dates] == ["2020-11", "2020-12", "2021-01"]
    assert tables.season_from_dates(t.dates) == 12
    one = table_of(read_tsf(p), p, ["B"])
    assert one.columns == ("B",) and one.values[:, 0].tolist() == [4, 5, 6]
    for body, key in ((HEADER + "A:2020-11-01 00-00-00:1,2,3\nB:2020-12-01 00-00-00:4,5,6\n", "series_tsf_starts"),
                      (HEADER + "A:2020-11-01 00-00-00:1,2,3\nB:2020-11-01 00-00-00:4,5\n", "series_tsf_not_table"),
                      (HEADER + "A:2020-11-01 00-00-00:1,?,3\n", "series_tsf_missing"),
                      (HEADER + "A:2020-11-01 00-00-00:1,2\nA:2020-11-01 00-00-00:3,4\n", "series_tsf_repeated")):
        with pytest.raises(UserError) as e:
            tables.read_table(write(tmp_path, body, "bad.tsf"))
        assert e.value.key == key
    with pytest.raises(UserError) as e:  # a .tsf holds series to forecast, not labelled sequences
        tables.read_labelled_csv(p)
    assert e.value.key == "series_tsf_classify"


def test_train_a_forecaster_on_a_tsf(tmp_path, capsys):
    rows = "".join(f"S{k}:2001-01-01 00-00-00:" + ",".join(f"{100 + k + i + 3 * np.sin(i):.2f}" for i in range(30))
                   + "\n" for k in range(2))
    p = write(tmp_path, HEADER.replace("monthly", "yearly") + rows)
    assert main(["series", "train", str(p), "--target", "S1", "--context", "6", "--horizon", "2", "--epochs", "1",
                 "--hidden", "4", "--quiet", "--plot", "none", "--out", str(tmp_path / "r")]) == 0
    capsys.readouterr()
    assert main(["series", "train", str(p), "--epochs", "1", "--out", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--target" in err and not (tmp_path / "c").exists()


@pytest.mark.skipif(not M1.is_file(), reason="../shared/data/series not present")
def test_m1_yearly_as_many_series():
    """--target all reads every series, of any length, each with its own dates."""
    d = read_tsf(M1)
    names, values, dates = panel_of(d, M1)
    assert names == d.names and len(values) == 181 and {len(v) for v in values} >= {15, 58}
    for v, s, when, start in zip(values, d.series, dates, d.starts):
        np.testing.assert_array_equal(v, s)
        assert len(when) == len(v) and str(when[0]) == str(start)[:4] and str(when[1]) == str(int(str(start)[:4]) + 1)
    assert SEASONS[d.frequency] == 1


def test_many_series_of_unequal_lengths(tmp_path):
    p = write(tmp_path, HEADER + "A:2020-11-01 00-00-00:1,2,3\nB:2021-01-01 00-00-00:4,5\n")
    names, values, dates = panel_of(read_tsf(p), p)  # other lengths and other starts: no table, many series
    assert names == ["A", "B"] and [v.tolist() for v in values] == [[1, 2, 3], [4, 5]]
    assert [str(d) for d in dates[0]] == ["2020-11", "2020-12", "2021-01"] and str(dates[1][-1]) == "2021-02"
    _, _, dates = panel_of(read_tsf(write(tmp_path, "@data\n1,2\n3\n", "plain.tsf")), p)
    assert dates == [None, None]  # no dates, no frequency: rows
    for body, key, line in ((HEADER + "A:2020-11-01 00-00-00:1,2\nB:2020-11-01 00-00-00:1,?,3\n",
                             "series_tsf_missing", 10),
                            (HEADER + "A:2020-11-01 00-00-00:1,2\nA:2020-11-01 00-00-00:3,4,5\n",
                             "series_tsf_repeated", None)):
        bad = write(tmp_path, body, "bad.tsf")
        with pytest.raises(UserError) as e:
            panel_of(read_tsf(bad), bad)
        assert e.value.key == key and e.value.fields.get("line") == line
        message = str(e.value)
        assert message.endswith(".") and "\n" not in message and message.count(". ") == 0
