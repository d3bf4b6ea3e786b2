"""The ``.ts`` format of the UCR/UEA time-series classification archive.

    # comments
    @problemName GunPoint
    @univariate true            (or false, with @dimensions D)
    @equalLength true           (false: sequences of different lengths)
    @classLabel true 1 2        (the class names, in order; false: no labels)
    @data
    v,v,v,...:v,v,v,...:label   one sequence a line, its D dimensions split by ':'

A missing value is ``?`` or NaN. Trailing missing values are padding (the
archive pads unequal lengths that way in its other formats); a missing
value inside a sequence is refused, as are dimensions of different lengths
within a sequence, lines with another number of dimensions, labels not
declared in ``@classLabel``, and a class declared twice.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from rnr.errors import UserError
from rnr.series import files
from rnr.series.sequences import Sequences, pad, trim_padding


def read_ts(path, name: str | None = None) -> Sequences:
    """Read a ``.ts`` file into padded ``Sequences``; UserError if it is malformed."""
    lines = files.read_text(path).splitlines()
    header, start = _header(lines, path)
    labelled = header.get("classlabel", ["false"])[0].lower() == "true"
    classes = tuple(header.get("classlabel", [])[1:])
    twice = [c for c, k in Counter(classes).items() if k > 1]
    if twice:
        raise UserError("series_ts_classes_repeated", path=path, label=twice[0])
    if header.get("timestamps", ["false"])[0].lower() == "true":
        raise UserError("series_ts_timestamps", path=path)
    seqs, labels, dims = [], [], None
    for number, line in enumerate(lines[start:], start + 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(":")
        if labelled:
            if len(parts) < 2:
                raise UserError("series_ts_no_label", path=path, line=number)
            label = parts.pop().strip()
            if classes and label not in classes:
                raise UserError("series_ts_label", path=path, line=number, label=repr(label),
                                classes=", ".join(repr(c) for c in classes))
            labels.append(label)
        if dims is None:
            dims = len(parts)
        elif len(parts) != dims:
            raise UserError("series_ts_dims", path=path, line=number, found=len(parts), expected=dims)
        seqs.append(_sequence(parts, path, number))
    if not seqs:
        raise UserError("series_no_sequences", path=path)
    if labelled and not classes:  # "@classLabel true" without names: the labels in order of appearance
        classes = tuple(dict.fromkeys(labels))
    index = {c: i for i, c in enumerate(classes)}
    y = [index[label] for label in labels] if labelled else [-1] * len(seqs)
    return pad(seqs, y, classes, name or header.get("problemname", [""])[0])


def _header(lines, path) -> tuple[dict, int]:
    """The ``@key value...`` lines before ``@data`` and the index of the first data line."""
    header = {}
    for i, line in enumerate(lines):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith("@"):
            raise UserError("series_ts_no_data", path=path)
        key, *values = line[1:].split()
        if key.lower() == "data":
            return header, i + 1
        header[key.lower()] = values
    raise UserError("series_ts_no_data", path=path)


def _sequence(parts, path, number) -> np.ndarray:
    """One sequence, (T, D) float32, from its dimensions' comma-separated values."""
    columns = []
    for d, part in enumerate(parts, 1):
        values = []
        for v in part.split(","):
            v = v.strip()
            try:
                values.append(np.nan if v == "?" else float(v))
            except ValueError:
                raise UserError("series_value", path=path, line=number, value=v[:40]) from None
        columns.append(trim_padding(np.array(values, np.float64), path, number))
    lengths = {len(c) for c in columns}
    if len(lengths) > 1:
        raise UserError("series_ts_ragged", path=path, line=number, lengths=", ".join(map(str, sorted(lengths))))
    return np.stack(columns, axis=1).astype(np.float32)
