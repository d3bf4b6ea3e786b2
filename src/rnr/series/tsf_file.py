"""The ``.tsf`` format of the Monash forecasting archive (Godahewa et al. 2021).

    # comments
    @relation M1
    @attribute series_name string      (string, numeric or date; one per field)
    @attribute start_timestamp date    (dates as 1972-01-01 00-00-00)
    @frequency yearly
    @horizon 6                         (a positive whole number)
    @missing false
    @equallength false
    @data
    T1:1972-01-01 00-00-00:3600,7700,12300,...   one series a line: its attributes'
                                                 values, then its values; ? is missing

A series is named by the first string attribute (else numbered from 1) and
starts at the first date attribute. Every way a file can be malformed is one
sentence that names its line.

Forecasting reads a file either as one table (``table_of``: series of one
length and one start become its columns; ``--target NAME``) or as many series
of any lengths (``panel_of``: ``--target all``, one global model over all).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from rnr.errors import UserError
from rnr.series import files
from rnr.series.sequences import LIMIT, Table

TYPES = ("string", "numeric", "date")
HEADERS = ("relation", "attribute", "frequency", "horizon", "missing", "equallength")
# the spacing of a table's dates: (numpy unit, steps of it)
FREQUENCIES = {"yearly": ("Y", 1), "quarterly": ("M", 3), "monthly": ("M", 1), "weekly": ("D", 7),
               "daily": ("D", 1), "hourly": ("h", 1), "half_hourly": ("m", 30), "10_minutes": ("m", 10),
               "minutely": ("m", 1), "4_seconds": ("s", 4)}
# the season each frequency implies (the seasonal naive's and MASE's m)
SEASONS = {"yearly": 1, "quarterly": 4, "monthly": 12, "weekly": 52, "daily": 7, "hourly": 24, "half_hourly": 48}


@dataclass
class TsfData:
    names: list[str]
    starts: np.ndarray | None  # (N,) datetime64[s] when an attribute is a date
    frequency: str | None  # as written, lower case: "yearly", "monthly"...
    horizon: int | None
    series: list[np.ndarray]  # float64, NaN where a value is missing
    lines: list[int]  # the line each series is on (for messages)


def read_tsf(path) -> TsfData:
    """Read a ``.tsf`` file; UserError (naming the line) when it is malformed."""
    lines = files.read_text(path).splitlines()
    attributes, header, first = [], {}, None
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith("@"):
            raise UserError("series_tsf_before_data", path=path, line=number)
        key, _, rest = line[1:].partition(" ")
        key, rest = key.lower(), rest.strip()
        if key == "data":
            first = number
            break
        if key not in HEADERS:
            raise UserError("series_tsf_header", path=path, line=number, word=line.split()[0][:40])
        if key == "attribute":
            words = rest.split()
            if len(words) != 2 or words[1].lower() not in TYPES:
                raise UserError("series_tsf_attribute", path=path, line=number, text=line[:60])
            attributes.append(words[1].lower())
        else:
            header[key] = (rest, number)
    if first is None:
        raise UserError("series_tsf_no_data", path=path)
    names, starts, series, where = [], [], [], []
    for number, line in enumerate(lines[first:], first + 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        *fields, values = line.split(":")
        if len(fields) != len(attributes):
            raise UserError("series_tsf_fields", path=path, line=number, found=len(fields),
                            expected=len(attributes))
        parsed = [_attribute(kind, text.strip(), path, number) for kind, text in zip(attributes, fields)]
        names.append(next((v for v, k in zip(parsed, attributes) if k == "string"), str(len(names) + 1)))
        starts.append(next((v for v, k in zip(parsed, attributes) if k == "date"), None))
        series.append(_values(values, path, number))
        where.append(number)
    if not series:
        raise UserError("series_no_sequences", path=path)
    frequency = header.get("frequency", ("", 0))[0].lower() or None
    return TsfData(names, np.array(starts) if "date" in attributes else None, frequency, _horizon(header, path),
                   series, where)


def _attribute(kind: str, text: str, path, number: int):
    """An attribute's value: the text, a number or a date (datetime64[s])."""
    if kind == "string":
        return text
    if kind == "numeric":
        try:
            return float(text)
        except ValueError:
            raise UserError("series_value", path=path, line=number, value=text[:40]) from None
    day, _, time = text.partition(" ")  # 1972-01-01 00-00-00: the time's ':' would split the line
    try:
        date = np.datetime64(day + ("T" + time.strip().replace("-", ":") if time.strip() else ""), "s")
    except ValueError:
        date = np.datetime64("NaT")
    if np.isnat(date):  # "" and "NaT" parse, as no date
        raise UserError("series_tsf_date", path=path, line=number, value=text[:40])
    return date


def _values(text: str, path, number: int) -> np.ndarray:
    if not text.strip():
        raise UserError("series_tsf_empty", path=path, line=number)
    values = []
    for cell in text.split(","):
        cell = cell.strip()
        try:
            v = np.nan if cell == "?" else float(cell)
        except ValueError:
            raise UserError("series_value", path=path, line=number, value=cell[:40]) from None
        if abs(v) > LIMIT:  # inf too
            raise UserError("series_huge_value", path=path, line=number)
        values.append(v)
    values = np.array(values, np.float64)
    if np.isnan(values).all():  # only ?
        raise UserError("series_tsf_empty", path=path, line=number)
    return values


def _horizon(header: dict, path) -> int | None:
    if "horizon" not in header:
        return None
    text, number = header["horizon"]
    if not re.fullmatch(r"\+?\d+", text) or int(text) < 1:
        raise UserError("series_tsf_horizon", path=path, line=number, value=text[:40])
    return int(text)


def table_of(data: TsfData, path, names=None) -> Table:
    """Series (all, or those ``names``) as the columns of one forecasting
    table: they must have one length and one start date, and every value;
    its dates follow ``@frequency`` from the start."""
    unknown = [n for n in names or () if n not in data.names]
    if unknown:
        shown = ", ".join(data.names[:10]) + (", ..." if len(data.names) > 10 else "")
        raise UserError("series_no_target", path=path, target=unknown[0], columns=shown)
    index = range(len(data.series)) if names is None else [data.names.index(n) for n in names]
    chosen = [data.names[i] for i in index]
    twice = [n for n, k in Counter(chosen).items() if k > 1]
    if twice:
        raise UserError("series_tsf_repeated", path=path, name=twice[0])
    lengths = [len(data.series[i]) for i in index]
    starts = None if data.starts is None else data.starts[list(index)]
    if len(set(lengths)) > 1:
        raise UserError("series_tsf_not_table", path=path, n=len(lengths), low=min(lengths), high=max(lengths))
    if starts is not None and (starts != starts[0]).any():
        other = int(np.argmax(starts != starts[0]))
        raise UserError("series_tsf_starts", path=path, line=data.lines[index[other]], date=starts[other],
                        first=starts[0])
    for i in index:
        if np.isnan(data.series[i]).any():
            raise UserError("series_tsf_missing", path=path, line=data.lines[i], name=data.names[i])
    dates = None
    if starts is not None and data.frequency in FREQUENCIES:
        unit, step = FREQUENCIES[data.frequency]
        dates = starts[0].astype(f"datetime64[{unit}]") + np.arange(lengths[0]) * step
    return Table(tuple(chosen), np.stack([data.series[i] for i in index], axis=1), dates)


def dates_of(data: TsfData, i: int, length: int) -> np.ndarray | None:
    """Series ``i``'s dates: its start, then ``@frequency`` steps (None without either)."""
    if data.starts is None or data.frequency not in FREQUENCIES:
        return None
    unit, step = FREQUENCIES[data.frequency]
    return data.starts[i].astype(f"datetime64[{unit}]") + np.arange(length) * step


def panel_of(data: TsfData, path) -> tuple[list[str], list[np.ndarray], list]:
    """Every series, of any length, for one global model (``--target all``):
    names (distinct), values, dates; every value must be there."""
    twice = [n for n, k in Counter(data.names).items() if k > 1]
    if twice:
        raise UserError("series_tsf_repeated", path=path, name=twice[0])
    for i, s in enumerate(data.series):
        if np.isnan(s).any():
            raise UserError("series_tsf_missing", path=path, line=data.lines[i], name=data.names[i])
    return list(data.names), list(data.series), [dates_of(data, i, len(s)) for i, s in enumerate(data.series)]
