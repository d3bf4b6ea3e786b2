"""TensorBoard event files: every training command (eco, text, sweep, series)
writes them into its run folder, and read back (TFRecord framing and protobuf
parsed here by hand, CRC-32C checked; and by tensorboardX's protobuf classes
when installed) they hold the scalars of ``metrics.jsonl``, also after a
resume that cut the metrics back."""

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from rnr.io import files
from rnr.io import runs, tensorboard
from rnr.cli import main


# ---- an independent reader --------------------------------------------------------

def _crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


TABLE = _crc32c_table()


def crc32c(data: bytes) -> int:
    c = 0xFFFFFFFF
    for b in data:
        c = TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked(data: bytes) -> int:
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def varint(buf, at):
    shift = value = 0
    while True:
        b = buf[at]
        at += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, at


def fields(buf):
    """(field number, wire type, value) of a protobuf message."""
    at = 0
    while at < len(buf):
        key, at = varint(buf, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = varint(buf, at)
        elif wire == 1:
            value, at = buf[at:at + 8], at + 8
        elif wire == 5:
            value, at = buf[at:at + 4], at + 4
        elif wire == 2:
            n, at = varint(buf, at)
            value, at = buf[at:at + n], at + n
        else:
            raise AssertionError(f"wire type {wire}")
        yield number, wire, value


def events(path):
    """[(step, {tag: value}, restart)] of one file; every CRC checked."""
    data = Path(path).read_bytes()
    out, at = [], 0
    while at < len(data):
        header = data[at:at + 8]
        (n,) = struct.unpack("<Q", header)
        assert struct.unpack("<I", data[at + 8:at + 12])[0] == masked(header)
        body = data[at + 12:at + 12 + n]
        assert struct.unpack("<I", data[at + 12 + n:at + 16 + n])[0] == masked(body)
        at += 16 + n
        step, values, restart = 0, {}, False
        for number, _, value in fields(body):
            if number == 2:  # Event.step
                step = value
            elif number == 5:  # Event.summary
                for vn, _, v in fields(value):
                    if vn == 1:  # Summary.value
                        parts = {k: x for k, _, x in fields(v)}
                        values[parts[1].decode()] = struct.unpack("<f", parts[2])[0]
            elif number == 7:  # Event.session_log
                restart = dict((k, x) for k, _, x in fields(value)).get(1) == 1  # status START
        out.append((step, values, restart))
    return out


def shown(folder):
    """{tag: {step: value}} as TensorBoard shows a run folder: files in name
    order, a restart marker drops the points at and after its step, the last
    point written for a step wins."""
    out = {}
    files = sorted(Path(folder).glob("events.out.tfevents.*"))
    assert files
    for path in files:
        for step, values, restart in events(path):
            if restart:
                for points in out.values():
                    for s in [s for s in points if s >= step]:
                        del points[s]
            for tag, v in values.items():
                out.setdefault(tag, {})[step] = v
    return out


def metrics(folder, key):
    """{step: value} of one key of metrics.jsonl (last line per step wins)."""
    out = {}
    for line in (Path(folder) / "metrics.jsonl").read_text().splitlines():
        rec = json.loads(line)
        if key in rec:
            out[rec["step"]] = rec[key]
    return out


def assert_same(points, want):
    assert sorted(points) == sorted(want) and want
    np.testing.assert_allclose([points[s] for s in sorted(want)], [want[s] for s in sorted(want)],
                               rtol=1e-6)  # float32 in the event file


# ---- the commands -----------------------------------------------------------------

def test_eco_events_equal_metrics(tmp_path, capsys):
    out = tmp_path / "eco"
    assert main(["eco", "--epochs", "2", "--length", "3000", "--plot", "none", "--quiet", "--out", str(out)]) == 0
    got = shown(out)
    assert set(got) == {"loss", "mean_loss"}
    assert_same(got["loss"], metrics(out, "loss"))
    assert_same(got["mean_loss"], metrics(out, "mean_loss"))
    assert len(got["mean_loss"]) == 2


SMALL = ["--hidden", "8", "--embed", "4", "--batch", "2", "--window", "8", "--chunk", "4",
         "--eval-every", "4", "--sample-length", "5", "--quiet"]


def test_text_events_equal_metrics_after_a_resume(tmp_path, capsys):
    text = tmp_path / "t.txt"
    text.write_text("".join(np.random.default_rng(0).choice(list("abcde fgh.\n"), 1500)), encoding="utf-8")
    out = tmp_path / "run"
    assert main(["text", "train", str(text), "--out", str(out), "--steps", "8", *SMALL]) == 0
    # a session killed after its last checkpoint (step 8) had logged further points
    runs.append_metrics(out / runs.METRICS, {"step": 10, "epoch": 0, "loss": 99.0, "losses": [99.0] * 2,
                                             "tokens_per_s": 1.0})
    runs.append_metrics(out / runs.METRICS, {"step": 12, "epoch": 0, "val_loss": 99.0, "val_bits": 99.0})
    tensorboard.close()
    assert 99.0 in shown(out)["loss"].values()
    assert main(["text", "train", "--resume", str(out), "--steps", "16", "--quiet"]) == 0
    got = shown(out)
    assert set(got) == {"loss", "tokens_per_s", "val_loss", "val_bits"}
    for key in got:
        assert_same(got[key], metrics(out, key))
    assert sorted(got["loss"]) == [4, 8, 12, 16] and 99.0 not in got["loss"].values()
    assert sorted(got["val_loss"]) == [4, 8, 12, 16]
    # the killed session's points are gone from the files themselves, not only hidden
    files = sorted(out.glob("events.out.tfevents.*"))  # first session, the killed points, the resume
    assert len(files) == 3
    assert all(99.0 not in values.values() for f in files for step, values, _ in events(f))
    assert [s for s, _, restart in events(files[-1]) if restart] == [9]  # the restart marker


def sweep_runs(out):
    """{run folder name: {tag: {step: value}}} of a sweep's TensorBoard runs."""
    assert not list(out.glob("events.out.tfevents.*"))  # nothing mixed into the sweep's own folder
    return {d.name: shown(d) for d in sorted((out / "tb").iterdir())}


def test_sweep_events_one_run_each_from_step_1(tmp_path, capsys):
    out = tmp_path / "sweep"
    assert main(["sweep", "--task", "echo", "--cells", "rnn,gru", "--windows", "4,8", "--delays", "1,2",
                 "--seeds", "2", "--epochs", "3", "--series", "200", "--out", str(out), "--quiet",
                 "--plot", "none"]) == 0
    got = sweep_runs(out)
    names = {f"{c}_window{w}_delay{d}_seed{s}" for c in ("rnn", "gru") for w in (4, 8) for d in (1, 2)
             for s in (0, 1)}
    assert set(got) == names
    for name, tags in got.items():
        assert set(tags) == {"train_loss"} and sorted(tags["train_loss"]) == [1, 2, 3], name
    lines = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert len(lines) == 4 * 3  # 4 groups x 3 epochs
    for rec in lines:
        assert 1 <= rec["step"] <= 3 and rec["T"] is None and rec["window"] in (4, 8)
        for d, s, v in zip(rec["delays"], rec["seeds"], rec["train_loss"], strict=True):
            name = f"{rec['cell']}_window{rec['window']}_delay{d}_seed{s}"
            assert got[name]["train_loss"][rec["step"]] == pytest.approx(v, rel=1e-6, nan_ok=True)


def test_sweep_gap_runs_start_at_step_1_in_every_group(tmp_path, capsys):
    out = tmp_path / "sweep"
    assert main(["sweep", "--task", "adding", "--cells", "rnn,gru", "--gaps", "3,5", "--seeds", "2",
                 "--steps", "4", "--chunk", "2", "--hidden", "4", "--batch", "4", "--eval-batch", "8",
                 "--out", str(out), "--quiet", "--plot", "none"]) == 0
    got = sweep_runs(out)
    assert set(got) == {f"{c}_T{T}_seed{s}" for c in ("rnn", "gru") for T in (3, 5) for s in (0, 1)}
    for name, tags in got.items():
        assert sorted(tags["train_loss"]) == [2, 4], name  # every group's runs on the same steps
    lines = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [(r["cell"], r["T"], r["step"]) for r in lines] == [
        (c, T, s) for c in ("rnn", "gru") for T in (3, 5) for s in (2, 4)]
    for rec in lines:
        for s, v in zip(rec["seeds"], rec["train_loss"], strict=True):
            assert got[f"{rec['cell']}_T{rec['T']}_seed{s}"]["train_loss"][rec["step"]] == pytest.approx(v, rel=1e-6)


def test_series_events_equal_metrics(tmp_path, capsys):
    lines = ["@problemName ramps", "@univariate true", "@equalLength true", "@classLabel true up down", "@data"]
    rng = np.random.default_rng(0)
    for i in range(16):
        sign = 1 if i % 2 == 0 else -1
        x = sign * np.linspace(0, 1, 8) + 0.05 * rng.normal(size=8)
        lines.append(",".join(f"{v:.4f}" for v in x) + (":up" if sign > 0 else ":down"))
    data = tmp_path / "ramps.ts"
    data.write_text("\n".join(lines) + "\n")
    out = tmp_path / "series"
    assert main(["series", "train", str(data), "--out", str(out), "--epochs", "6", "--hidden", "4",
                 "--batch", "4", "--eval-every", "2", "--quiet"]) == 0
    got = shown(out)
    keys = {k for line in (out / "metrics.jsonl").read_text().splitlines() for k in json.loads(line)}
    assert set(got) == keys - {"step", "epoch"} and "loss" in got
    for key in got:
        assert_same(got[key], metrics(out, key))


# ---- the rules --------------------------------------------------------------------

def test_scalars_of_a_record():
    assert tensorboard.scalars({"step": 3, "epoch": 0, "window": 2, "loss": 0.5}) == {"loss": 0.5}
    assert tensorboard.scalars({"step": 3, "loss": 1.0, "losses": [1.0, 2.0], "sample": "abc",
                                "val_loss": 2}) == {"loss": 1.0, "val_loss": 2.0}
    sweep = {"step": 3, "cell": "lstm", "T": 30, "window": None, "seeds": [0, 1], "train_loss": [0.25, 0.5]}
    assert tensorboard.scalars(sweep) == {}  # a sweep's runs have folders of their own
    assert tensorboard.by_folder(sweep) == {"tb/lstm_T30_seed0": {"train_loss": 0.25},
                                            "tb/lstm_T30_seed1": {"train_loss": 0.5}}
    echo = {"step": 1, "cell": "gru", "T": None, "window": 8, "delays": [3, 3, 5], "seeds": [0, 1, 0],
            "train_loss": [1.0, 2.0, 3.0]}
    assert tensorboard.by_folder(echo) == {"tb/gru_window8_delay3_seed0": {"train_loss": 1.0},
                                           "tb/gru_window8_delay3_seed1": {"train_loss": 2.0},
                                           "tb/gru_window8_delay5_seed0": {"train_loss": 3.0}}
    diverged = {"step": 2, "cell": "rnn", "T": 10, "window": None, "seeds": [0, 1], "train_loss": [None, 0.5]}
    assert tensorboard.by_folder(diverged) == {"tb/rnn_T10_seed1": {"train_loss": 0.5}}  # NaN, written as null


def test_only_process_zero_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "writes_here", lambda: False)
    runs.append_metrics(tmp_path / runs.METRICS, {"step": 1, "loss": 1.0})
    tensorboard.close()
    assert list(tmp_path.iterdir()) == []


def test_tensorboardx_reads_the_same(tmp_path):
    """Another implementation of the format: tensorboardX's protobuf classes
    and checksum (the test extra installs it)."""
    pytest.importorskip("tensorboardX")
    from tensorboardX.proto.event_pb2 import Event, SessionLog
    from tensorboardX.record_writer import masked_crc32c

    records = [{"step": 1, "loss": 0.5}, {"step": 7, "val_loss": 1e39, "val_bits": -2.25},
               {"step": 2**40, "cell": "gru", "T": 10, "window": None, "train_loss": [1.5, float("nan")]}]
    for rec in records:
        runs.append_metrics(tmp_path / runs.METRICS, rec)
    tensorboard.cut(tmp_path, 7)  # drops the step 2**40 and marks a restart at 8
    runs.append_metrics(tmp_path / runs.METRICS, {"step": 8, "loss": 0.25})
    tensorboard.close()
    got = []
    for path in sorted(tmp_path.glob("events.out.tfevents.*")):
        data = path.read_bytes()
        at = 0
        while at < len(data):
            (n,) = struct.unpack_from("<Q", data, at)
            assert struct.unpack_from("<I", data, at + 8)[0] == masked_crc32c(data[at:at + 8])
            body = data[at + 12:at + 12 + n]
            assert struct.unpack_from("<I", data, at + 12 + n)[0] == masked_crc32c(body)
            ev = Event.FromString(body)
            got.append((ev.step, ev.file_version, ev.session_log.status,
                        {v.tag: v.simple_value for v in ev.summary.value}))
            at += 16 + n
    assert got == [(0, "brain.Event:2", 0, {}), (1, "", 0, {"loss": 0.5}),
                   (7, "", 0, {"val_loss": float("inf"), "val_bits": -2.25}),
                   (0, "brain.Event:2", 0, {}), (8, "", SessionLog.START, {}), (8, "", 0, {"loss": 0.25})]
    # the sweep's runs (the NaN, null in metrics.jsonl, is no point), cut back too
    (path,) = (tmp_path / "tb" / "gru_T10_run0").glob("events.out.tfevents.*")
    assert [step for step, _, _ in events(path)] == [0]
    assert tensorboard.by_folder(records[2]) == {
        "tb/gru_T10_run0": {"train_loss": 1.5},
        "tb/gru_T10_run1": {"train_loss": pytest.approx(float("nan"), nan_ok=True)}}
    assert not (tmp_path / "tb" / "gru_T10_run1").exists()


def test_a_half_written_record_is_dropped_on_resume(tmp_path):
    runs.append_metrics(tmp_path / runs.METRICS, {"step": 1, "loss": 0.5})
    runs.append_metrics(tmp_path / runs.METRICS, {"step": 2, "loss": 0.4})
    tensorboard.close()
    (path,) = tmp_path.glob("events.out.tfevents.*")
    whole = path.read_bytes()
    path.write_bytes(whole + tensorboard.frame(tensorboard.event(3, {"loss": 0.3}))[:-5])  # killed mid-write
    tensorboard.cut(tmp_path, 2)
    assert path.read_bytes() == whole
    assert [e for _, e, _ in events(path)] == [{}, {"loss": 0.5}, {"loss": pytest.approx(0.4)}]
