"""``rnr text eval``: characters the model never saw are left out and the rest
is scored (nats/char against the NumPy reference model over the remaining
stream), the count of skipped characters is right, and the run's own batch
and window are the defaults."""

import jax
import numpy as np
import pytest

import reference as ref
from rnr.engine import model
from rnr.cli import main
from rnr.errors import UserError
from rnr.text.train import evaluate_text
from rnr.text.vocab import Vocab

CHARS = list("abcdefg .")
UNSEEN = "xyZ\n€"  # none of them in CHARS


def small_model(cell="lstm"):
    cfg = model.ModelConfig(cell=cell, n_in=len(CHARS), hidden=6, n_out=len(CHARS), layers=2,
                            input="embed", embed_dim=4)
    params = model.init(jax.random.PRNGKey(3), cfg)
    params["out"]["W"] = params["out"]["W"] * 4.0  # sharp enough that a wrong context costs clearly more
    return cfg, params


def text_with_unseen(n=300, seed=0):
    rng = np.random.default_rng(seed)
    pool = CHARS * 6 + list(UNSEEN)  # about one character in 12 is unseen
    return "".join(rng.choice(pool, n))


def numpy_nats(cfg, params, ids, rows):
    """Mean -log p(next) of the stream ``ids`` cut into ``rows`` contiguous
    stretches of ceil((N-1)/rows) predictions, each from a zero state."""
    n = len(ids) - 1
    length = -(-n // rows)
    total = 0.0
    for r in range(rows):
        stretch = ids[r * length:min((r + 1) * length, n) + 1]
        if len(stretch) < 2:
            continue
        _, logits = ref.model_forward(cfg, params, np.asarray(stretch[:-1])[:, None])
        logp = ref.log_softmax(logits[:, 0])
        total -= float(np.sum(logp[np.arange(len(stretch) - 1), stretch[1:]]))
    return total / n


@pytest.mark.parametrize("cell,batch,window", [("lstm", 1, 7), ("gru", 3, 5)])
def test_skipped_characters_leave_the_rest_scored(cell, batch, window):
    cfg, params = small_model(cell)
    text = text_with_unseen()
    remaining = [CHARS.index(ch) for ch in text if ch in CHARS]
    want_skipped = sum(text.count(ch) for ch in UNSEEN)
    assert 0 < want_skipped and len(remaining) + want_skipped == len(text)
    r = evaluate_text(cfg, params, Vocab(CHARS), text, "t.txt", batch=batch, window=window)
    assert r["skipped"] == want_skipped
    assert r["unknown"] == sorted(set(text) & set(UNSEEN))
    assert r["chars"] == len(remaining) - 1
    rows = max(1, min(batch, (len(remaining) - 1) // window))
    np.testing.assert_allclose(r["loss"], numpy_nats(cfg, params, remaining, rows), rtol=1e-5)
    np.testing.assert_allclose(r["bits"], r["loss"] / np.log(2), rtol=1e-12)
    # the reference can tell: scoring the stream cut at the unseen characters
    # instead of joined across them gives another number
    pieces = [[CHARS.index(c) for c in p] for p in
              "".join(c if c in CHARS else "|" for c in text).split("|") if len(p) > 1]
    cut = sum(numpy_nats(cfg, params, p, 1) * (len(p) - 1) for p in pieces) / sum(len(p) - 1 for p in pieces)
    assert abs(cut - r["loss"]) > 1e-4


def test_a_known_text_skips_nothing():
    cfg, params = small_model()
    text = "".join(np.random.default_rng(1).choice(CHARS, 120))
    r = evaluate_text(cfg, params, Vocab(CHARS), text, "t.txt", batch=1, window=16)
    assert r["skipped"] == 0 and r["unknown"] == [] and r["chars"] == len(text) - 1
    np.testing.assert_allclose(r["loss"], numpy_nats(cfg, params, [CHARS.index(c) for c in text], 1), rtol=1e-5)


def test_nothing_known_is_refused():
    cfg, params = small_model()
    with pytest.raises(UserError) as e:
        evaluate_text(cfg, params, Vocab(CHARS), "xx€a€Z", "t.txt")
    assert e.value.key == "text_eval_nothing_known"


# ---- the command line ---------------------------------------------------------

SMALL = ["--hidden", "8", "--embed", "4", "--batch", "2", "--window", "8", "--chunk", "4",
         "--eval-every", "4", "--sample-length", "0", "--quiet"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("eval")
    train = root / "train.txt"
    train.write_text("".join(np.random.default_rng(2).choice(CHARS, 600)), encoding="utf-8")
    out = root / "run"
    assert main(["text", "train", str(train), "--out", str(out), "--steps", "4", *SMALL]) == 0
    return root, out


def result_line(out: str) -> str:
    lines = out.strip().splitlines()
    assert len(lines) == 1
    return lines[0]


def test_cli_skips_and_says_how_many(run, capsys):
    root, out = run
    other = root / "other.txt"
    text = text_with_unseen(2000, seed=5)
    other.write_text(text, encoding="utf-8")
    capsys.readouterr()
    skipped = sum(text.count(ch) for ch in UNSEEN)
    assert main(["text", "eval", str(out), str(other)]) == 0
    cap = capsys.readouterr()
    note = result_line(cap.err)
    assert f"left out {skipped:,} character(s)" in note and "scored the rest" in note
    assert f"over {2000 - skipped - 1:,} characters" in result_line(cap.out)
    assert main(["text", "eval", str(out), str(other), "--lang", "es"]) == 0
    cap = capsys.readouterr()
    assert f"se omitieron {skipped:,} carácter(es)" in result_line(cap.err)
    assert "bits/carácter" in result_line(cap.out)


def test_cli_uses_the_runs_batch_and_window(run, capsys):
    root, out = run
    other = root / "long.txt"
    other.write_text("".join(np.random.default_rng(6).choice(CHARS, 3000)), encoding="utf-8")
    capsys.readouterr()

    def loss(*flags):
        assert main(["text", "eval", str(out), str(other), *flags]) == 0
        cap = capsys.readouterr()
        assert cap.err == ""  # nothing skipped, nothing to say
        return result_line(cap.out)

    default = loss()
    assert default == loss("--batch", "2", "--window", "8")  # the run's (SMALL above)
    assert default != loss("--batch", "32", "--window", "64")  # the fixed defaults of before


@pytest.mark.parametrize("lang", ["en", "es"])
def test_cli_bad_input_is_one_sentence(run, capsys, lang):
    root, out = run
    unknown = root / "unknown.txt"
    unknown.write_text("€€xyZ€", encoding="utf-8")
    errors = []
    for argv in (["text", "eval", str(out), str(unknown)],
                 ["text", "eval", str(out), str(root / "train.txt"), "--batch", "0"],
                 ["text", "eval", str(out), str(root / "missing.txt")]):
        capsys.readouterr()
        assert main([*argv, "--lang", lang]) == 2
        err = capsys.readouterr().err.strip()
        assert err and "\n" not in err and "Traceback" not in err
        errors.append(err)
    assert ("never saw" if lang == "en" else "no vio nunca") in errors[0] and "6" in errors[0]
