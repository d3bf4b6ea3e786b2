"""Sequences from CSV/TSV and NPZ files, and tables of columns for forecasting.

Classification CSV/TSV (the archive's CSV and TSV layout, no header):
    label,v1,v2,...,vT          one sequence a row; empty or NaN cells at the
                                end are padding (unequal lengths); a first
                                column of many distinct fractions is refused
                                (values, not labels)
Classification NPZ (``numpy.savez``): ``X`` (N, T) or (N, T, F), ``y`` (N,)
    integer or string labels, optional ``lengths`` (N,); never unpickled (an
    array of Python objects is refused, as is a member that is not an array).
    Sequences to predict need no ``y`` (``read_npz(path, labelled=False)``),
    nor a CSV its label column (``read_labelled_csv(path, labelled=False)``).
Forecasting CSV: a header, then one time step a row, columns in time order;
    one column may hold dates (ISO 8601: ``1949-01``, ``2024-03-05``...; or
    months and quarters as R's tsibble and zoo write them: ``1991 Jul``,
    ``Jul 1991``, ``1970 Q1``, ``1970Q1``), the others numbers, every cell
    filled; a first column with no name counting the rows (pandas' index) is skipped. A ``.tsf`` file (``rnr.series.tsf_file``) is a
    table when its series have one length and one start: one column each.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
import zlib
from pathlib import Path

import numpy as np

from rnr.errors import Msg, UserError, os_reason
from rnr.series import files
from rnr.series import tsf_file
from rnr.series.sequences import LIMIT, Sequences, Table, pad, trim_padding

MISSING = ("", "nan", "NaN", "NA", "?")


def _number(cell: str, path, line: int) -> float:
    try:
        v = float(cell)
    except ValueError:
        raise UserError("series_value", path=path, line=line, value=cell[:40]) from None
    if abs(v) > LIMIT:  # inf too
        raise UserError("series_huge_value", path=path, line=line)
    return v


def _rows(path) -> list[tuple[int, list[str]]]:
    text = files.read_text(path)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else ";" if ";" in first and "," not in first else ","
    return [(n, [c.strip() for c in row]) for n, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
            if row and any(c.strip() for c in row)]


def read_labelled_csv(path, labelled: bool = True) -> Sequences:
    """One univariate sequence a row, its label first (``labelled=False``:
    every cell a value, every label -1)."""
    if Path(path).suffix.lower() == ".tsf":
        raise UserError("series_tsf_classify", path=path)
    rows = _rows(path)
    if not rows:
        raise UserError("series_no_sequences", path=path)
    header = rows[0][1]
    if len(header) > 1 and not _is_number(header[1]):
        raise UserError("series_csv_header", path=path, columns=", ".join(header[:6]))
    if not labelled:
        seqs = []
        for n, row in rows:
            values = np.array([np.nan if c in MISSING else _number(c, path, n) for c in row], np.float64)
            seqs.append(trim_padding(values, path, n)[:, None].astype(np.float32))
        return pad(seqs, [-1] * len(seqs), ())
    fractions = {row[0] for _, row in rows if _fraction(row[0])}
    if len(fractions) >= 3 and len(fractions) > len(rows) / 2:  # classes repeat; measurements do not
        raise UserError("series_csv_no_labels", path=path, distinct=len(fractions), rows=len(rows))
    seqs, labels = [], []
    for n, row in rows:
        if len(row) < 2:
            raise UserError("series_csv_short", path=path, line=n)
        values = np.array([np.nan if c in MISSING else _number(c, path, n) for c in row[1:]], np.float64)
        seqs.append(trim_padding(values, path, n)[:, None].astype(np.float32))
        labels.append(_label(row[0]))
    classes = tuple(sorted(set(labels), key=_label_order))
    index = {c: i for i, c in enumerate(classes)}
    return pad(seqs, [index[label] for label in labels], classes)


def _label(cell: str) -> str:
    """'1.0' and '1' are the same class (the archive writes labels either way)."""
    try:
        v = float(cell)
        return str(int(v)) if v.is_integer() else cell
    except ValueError:
        return cell


def _fraction(cell: str) -> bool:
    """A finite number that is not whole: a measurement rather than a class label."""
    try:
        v = float(cell)
    except ValueError:
        return False
    return bool(np.isfinite(v)) and not v.is_integer()


def _label_order(label: str):
    try:
        return (0, float(label), "")
    except ValueError:
        return (1, 0.0, label)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return cell in MISSING


def _npz_reason(e: BaseException):
    """Why an archive could not be read, in the sentence's language (not the library's English)."""
    if isinstance(e, OSError) and not isinstance(e, zipfile.BadZipFile):
        return os_reason(e)
    if isinstance(e, zipfile.BadZipFile):
        return Msg("reason_not_zip")
    if isinstance(e, NotImplementedError):
        return Msg("reason_zip_method")
    return Msg("reason_damaged")


def read_npz(path, labelled: bool = True) -> Sequences:
    """``X``, ``y`` and optional ``lengths`` from a NumPy archive
    (``labelled=False``: ``y`` may be missing; the labels are then -1)."""
    files.read_bytes(path)
    try:
        with zipfile.ZipFile(path) as z:
            members = {m.removesuffix(".npy"): m for m in z.namelist()}
            if "X" not in members or ("y" not in members and labelled):
                raise UserError("series_npz_keys", path=path, keys=", ".join(sorted(members)) or "-")
            arrays = {k: _npy(z, members[k], k, path) for k in ("X", "y", "lengths") if k in members}
            if "y" not in arrays:
                arrays["y"] = np.full(len(arrays["X"]) if arrays["X"].ndim else 0, -1)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError) as e:
        raise UserError("series_npz_bad", path=path, reason=_npz_reason(e)) from None
    X, y = arrays["X"], arrays["y"]
    if X.ndim == 2:
        X = X[..., None]
    if X.ndim != 3 or y.ndim != 1 or len(y) != len(X) or X.shape[1] < 1 or X.shape[2] < 1 or not len(X):
        raise UserError("series_npz_shape", path=path, x=tuple(arrays["X"].shape), y=tuple(y.shape))
    if not np.issubdtype(X.dtype, np.number) or np.iscomplexobj(X):
        raise UserError("series_npz_dtype", path=path, dtype=str(X.dtype))
    lengths = arrays.get("lengths")
    if lengths is None:
        lengths = np.full(len(X), X.shape[1])
    if lengths.shape != (len(X),) or not np.issubdtype(lengths.dtype, np.integer) or \
            lengths.min() < 1 or lengths.max() > X.shape[1]:
        raise UserError("series_npz_lengths", path=path, T=X.shape[1])
    seqs = []
    for i, (x, n) in enumerate(zip(X, lengths)):
        x = x[: int(n)].astype(np.float64)
        if not np.all(np.abs(x) <= LIMIT):
            raise UserError("series_npz_value", path=path, index=i)
        seqs.append(x.astype(np.float32))
    if "y" not in members:
        return pad(seqs, y, ())
    labels = [_label(str(v)) for v in y]
    classes = tuple(sorted(set(labels), key=_label_order))
    index = {c: i for i, c in enumerate(classes)}
    return pad(seqs, [index[label] for label in labels], classes)


def _npy(z: zipfile.ZipFile, member: str, name: str, path) -> np.ndarray:
    """One array of an archive, its header read first: a member that is no
    NumPy array (text, say) or an array of Python objects (which only
    unpickling could read) is refused."""
    with z.open(member) as f:
        try:
            version = np.lib.format.read_magic(f)
        except ValueError:
            raise UserError("series_npz_member", path=path, name=name) from None
        header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        if header(f)[2].hasobject:
            raise UserError("series_npz_objects", path=path, name=name)
    with z.open(member) as f:
        return np.lib.format.read_array(f, allow_pickle=False)


def read_table(path) -> Table:
    """A CSV with a header, numbers in every column but (at most) one of dates;
    or a ``.tsf`` file whose series become the columns."""
    if Path(path).suffix.lower() == ".tsf":
        return tsf_file.table_of(tsf_file.read_tsf(path), path)
    rows = _rows(path)
    if len(rows) < 2:
        raise UserError("series_table_short", path=path)
    header = rows[0][1]
    if all(_is_number(c) and c not in MISSING for c in header):
        raise UserError("series_table_header", path=path)
    width = len(header)
    for n, row in rows[1:]:
        if len(row) != width:
            raise UserError("series_table_ragged", path=path, line=n, found=len(row), expected=width)
    cells = [row for _, row in rows[1:]]
    numeric, dates = [], None
    for j, name in enumerate(header):
        column = [r[j] for r in cells]
        if j == 0 and _row_numbers(name, column):
            continue
        if all(_is_number(c) for c in column):
            numeric.append(j)
        elif dates is None and (parsed := _dates(column)) is not None:
            later = np.r_[True, parsed[1:] > parsed[:-1]]
            if not later.all():  # dates, but not in time order (or repeated)
                i = int(np.argmin(later))
                raise UserError("series_dates_order", path=path, line=rows[1 + i][0], date=column[i],
                                before=column[i - 1])
            dates = parsed
        elif dates is None and _one_date(column[0]):  # dates, but not all written alike
            kind = _date_kind(column[0])
            n, value = next(((n, r[j]) for n, r in rows[1:] if _date_kind(r[j]) != kind), (rows[1][0], column[0]))
            raise UserError("series_date_format", path=path, line=n, value=value[:40], first=column[0][:40])
        else:
            bad = next((n, r[j]) for n, r in rows[1:] if not _is_number(r[j]))
            raise UserError("series_value", path=path, line=bad[0], value=bad[1][:40])
    if not numeric:
        raise UserError("series_table_no_numbers", path=path)
    values = np.empty((len(cells), len(numeric)), np.float64)
    for k, j in enumerate(numeric):
        for i, (n, row) in enumerate(rows[1:]):
            v = np.nan if row[j] in MISSING else _number(row[j], path, n)
            if np.isnan(v):  # "", "?", "NaN"... or another spelling of NaN
                raise UserError("series_table_missing", path=path, line=n, column=header[j])
            values[i, k] = v
    return Table(tuple(header[j] for j in numeric), values, dates)


def _one_date(cell: str) -> bool:
    """Does ``cell`` read as a date (ISO 8601, as NumPy reads them, or a
    month or quarter: ``_period``), and not as a number (NumPy would read "1"
    as the year 1)?"""
    if _is_number(cell):
        return False
    if _period(cell) is not None:
        return True
    try:
        np.datetime64(cell)
    except ValueError:
        return False
    return True


# month names, English and Spanish: whole, or their usual abbreviations
_MONTHS = {name: k + 1 for names in (
    "january february march april may june july august september october november december",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "jan feb mar apr may jun jul aug sep oct nov dec", "ene feb mar abr may jun jul ago sep oct nov dic",
    "- - - - - - - - sept - - -", "- - - - - - - - setiembre - - -", "- - - - - - - - set - - -")
    for k, name in enumerate(names.split()) if name != "-"}
_YEAR_MONTH = re.compile(r"(\d{4})[ -]?([A-Za-z]{3,10})\.?")
_MONTH_YEAR = re.compile(r"([A-Za-z]{3,10})\.?[ -]?(\d{4})")
_QUARTER = re.compile(r"(\d{4})[ -]?[Qq]([1-4])")


def _period(cell: str) -> tuple[str, str] | None:
    """A month or a quarter written as R's tsibble and zoo write them
    ("1991 Jul", "Jul 1991", "1970 Q1", "1970Q1") as its kind and an ISO
    month: ("month", "1991-07"), ("quarter", "1970-01"); None for anything
    else (a word that only starts like a month, "2020 Junk", is none)."""
    cell = cell.strip()
    if m := _QUARTER.fullmatch(cell):
        return "quarter", f"{m[1]}-{3 * int(m[2]) - 2:02d}"
    for pattern, year, name in ((_YEAR_MONTH, 1, 2), (_MONTH_YEAR, 2, 1)):
        if (m := pattern.fullmatch(cell)) and (month := _MONTHS.get(m[name].lower())):
            return "month", f"{m[year]}-{month:02d}"
    return None


def _date_kind(cell: str) -> str | None:
    """How ``cell`` is written as a date: "month", "quarter", "iso", or None."""
    if (period := _period(cell)) is not None:
        return period[0]
    return "iso" if _one_date(cell) else None


def _dates(column) -> np.ndarray | None:
    """The column as dates, every cell written the same way; None otherwise."""
    periods = [_period(c) for c in column]
    if all(p is not None for p in periods):
        if len({kind for kind, _ in periods}) > 1:  # months and quarters mixed
            return None
        return np.array([iso for _, iso in periods], dtype="datetime64[M]")
    if any(p is not None for p in periods):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "2021-05-01 00:00:00+00:00": NumPy reads it as UTC, and says so
            d = np.array(column, dtype="datetime64")
    except ValueError:
        return None
    return d


def _row_numbers(name: str, column) -> bool:
    """A first column with no name (or pandas' "Unnamed: 0") counting the
    rows one by one (0, 1, 2... or from any start): the index pandas writes,
    not a series."""
    if name.strip() and not name.startswith("Unnamed:"):
        return False
    try:
        v = np.array([float(c) for c in column])
    except ValueError:
        return False
    return len(v) > 1 and bool(np.array_equal(v, v[0] + np.arange(len(v))))


def season_from_dates(dates) -> int | None:
    """The season length implied by the spacing of ``dates``: monthly 12,
    quarterly 4, weekly 52, daily 7, hourly 24, half-hourly 48 (a day); None
    when unclear."""
    if dates is None or len(dates) < 3:
        return None
    days = np.median(np.diff(dates.astype("datetime64[s]")).astype(np.float64)) / 86400.0
    for low, high, m in ((0.019, 0.023, 48), (0.04, 0.05, 24), (0.9, 1.1, 7), (6.5, 7.5, 52), (27, 32, 12), (89, 93, 4)):
        if low <= days <= high:
            return m
    return None
