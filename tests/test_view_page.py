"""The neuron page: its data against an independent NumPy forward pass, and the
page itself in headless Chromium (skipped when Chromium or selenium is missing)."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from rnr.views import neurons
from rnr.text import page as text_page
from rnr.io import files

import reference as ref
import view_textmodel

PASSAGE = view_textmodel.SAMPLE[:240] + "\u00a7"  # a character the model does not know


@pytest.fixture(scope="module")
def tiny():
    return view_textmodel.train_tiny()


def np_lstm(cfg, params, ids):
    """The reference forward pass of the one-layer embed -> LSTM -> linear
    model over (T,) ids: (hs, cs, logits), unbatched."""
    assert cfg.cell == "lstm" and len(params["layers"]) == 1
    _, logits, (tr,) = ref.model_forward(cfg, params, np.asarray(ids)[:, None], trace=True)
    return tr["h"][:, 0], tr["c"][:, 0], logits[:, 0]


def decode(q):
    """Stored values of one (layer, quantity): (T, stored neurons), lo + q * step."""
    raw = np.frombuffer(base64.b64decode(q["data"]), np.uint8).reshape(len(q["neurons"]), -1).T
    return np.array(q["lo"]) + raw * np.array(q["step"])


def test_quantise_error_is_half_a_step():
    rng = np.random.default_rng(0)
    acts = rng.normal(0, 3, (500, 4)) * np.array([1, 10, 0.01, 0])  # the last neuron constant (0)
    acts[:, 3] = 1.5
    q, lo, step = text_page.quantise(acts)
    assert q.shape == (4, 500) and q.dtype == np.uint8 and q.min() == 0 and q[:3].max() == 255
    back = lo + q.T * step
    np.testing.assert_allclose(step[:3], (acts.max(0) - acts.min(0))[:3] / 255)
    assert step[3] == 0 and np.all(back[:, 3] == 1.5)
    assert np.all(np.abs(back - acts) <= step / 2 * (1 + 1e-9) + 1e-12)
    # and no finer: 8 bits cannot do better than a quarter step on average
    assert np.mean(np.abs(back - acts)[:, :3] / step[:3]) > 0.2


def test_page_data_matches_numpy(tiny):
    cfg, params, vocab = tiny
    data = text_page.page_data(cfg, params, vocab, PASSAGE)
    kept, ids = text_page.encode_passage(PASSAGE, vocab)
    assert "\u00a7" not in kept and data["T"] == len(kept) == len(PASSAGE) - 1 and data["chars"] == kept
    hs, cs, logits = np_lstm(cfg, params, ids)
    q = {q["key"]: q for q in data["layers"][0]}
    for key, ref_values in (("h", hs), ("c", cs)):
        stored = q[key]["neurons"]
        assert stored == list(range(cfg.hidden))  # a small model: every neuron fits the budget
        want = ref_values[:, stored]
        step = np.array(q[key]["step"])
        # 8 bits over each neuron's own range: off by at most half a step, (max - min) / 510
        err = np.abs(decode(q[key]) - want)
        assert np.all(err <= step / 2 + 1e-5), (err - step / 2).max()
        assert np.all(step <= (want.max(0) - want.min(0)) / 255 * (1 + 1e-6) + 1e-12)
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    top = np.argsort(-p, 1)[:, :5]
    ids_top = np.frombuffer(base64.b64decode(data["top_ids"]), np.uint8).reshape(-1, 5)
    probs_top = np.frombuffer(base64.b64decode(data["top_probs"]), "<u2").reshape(-1, 5) / 65535
    np.testing.assert_allclose(probs_top, np.take_along_axis(p, top, 1), atol=0.5 / 65535 + 1e-5)
    # the same characters (ties aside: the five most likely have the five largest probabilities)
    np.testing.assert_allclose(np.take_along_axis(p, ids_top.astype(int), 1), np.take_along_axis(p, top, 1),
                               atol=1e-5)


def test_stored_neurons_are_the_top_of_every_ranking(tiny):
    """A small budget stores the union of the top k of every ranking, scored
    on the NumPy activations, and the budget holds."""
    cfg, params, vocab = tiny
    kept, ids = text_page.encode_passage(PASSAGE, vocab)
    hs, cs, _ = np_lstm(cfg, params, ids)
    budget = 10 * len(kept) * 6  # room for about 10 of 16 neurons in each of the 6 quantities
    data = text_page.page_data(cfg, params, vocab, PASSAGE, budget=budget)
    k = data["k"]
    assert 1 <= k < cfg.hidden
    assert sum(len(q["neurons"]) for q in data["layers"][0]) * len(kept) <= budget
    for key, acts in (("h", hs), ("c", cs)):
        q = next(q for q in data["layers"][0] if q["key"] == key)
        want = set()
        for s in neurons.scores(acts, kept).values():
            want |= {int(n) for n in np.argsort(-s, kind="stable")[:k]}
        assert set(q["neurons"]) == want and len(q["neurons"]) < cfg.hidden
        assert np.all(np.abs(decode(q) - acts[:, q["neurons"]]) <= np.array(q["step"]) / 2 + 1e-5)


@pytest.mark.parametrize("cell", ["gru", "rnn"])
def test_other_cells_two_layers(cell):
    """Every traced quantity of every layer decodes to NumPy's values; the
    default neuron is a hidden-state neuron (these cells have no cell state)."""
    import jax

    from rnr.engine import model

    passage = view_textmodel.SAMPLE[:150]
    vocab = sorted(set(passage))
    cfg = model.ModelConfig(cell=cell, n_in=len(vocab), hidden=6, n_out=len(vocab), layers=2, input="embed",
                            embed_dim=4)
    params = model.init(jax.random.PRNGKey(1), cfg)
    data = text_page.page_data(cfg, params, vocab, passage)
    _, ids = text_page.encode_passage(passage, vocab)
    _, _, layers = ref.model_forward(cfg, params, ids[:, None], trace=True)
    for got, want in zip(data["layers"], layers):
        assert sorted(q["key"] for q in got) == sorted(want)
        for q in got:
            err = np.abs(decode(q) - want[q["key"]][:, 0, q["neurons"]])
            assert np.all(err <= np.array(q["step"]) / 2 + 1e-5), q["key"]
    d = data["default"]
    assert data["layers"][d["layer"]][d["quantity"]]["key"] == "h"


def test_default_neuron_follows_a_memory_feature():
    """The default: the state neuron most correlated with the line position or
    quotations; another feature only when those stay under 0.2; never variance."""
    def layer(h_line, c_quote, vowel, variance=1.0):
        z = np.zeros(4)
        mk = lambda **kw: {n: kw.get(n, z) for n in neurons.SCORES}  # noqa: E731
        return {"f": mk(line=np.array([0, 0.95, 0, 0])),  # gates never make the default
                "h": mk(line=h_line, vowel=vowel, variance=np.full(4, variance)),
                "c": mk(quote=c_quote)}
    a = layer(np.array([0, 0.1, 0.3, 0]), np.array([0, 0, 0, 0.25]), np.array([0.9, 0, 0, 0]))
    b = layer(np.array([0, 0, 0, 0]), np.array([0, 0.45, 0, 0]), np.array([0, 0, 0, 0.8]))
    assert text_page.default_choice([a, b]) == {"layer": 1, "key": "c", "rank": "quote", "neuron": 1,
                                                "score": 0.45}
    weak = layer(np.array([0, 0.1, 0.15, 0]), np.array([0.05, 0, 0, 0]), np.array([0, 0, 0, 0.6]))
    assert text_page.default_choice([weak]) == {"layer": 0, "key": "h", "rank": "vowel", "neuron": 3,
                                                "score": 0.6}


def test_page_under_1_mb_for_1500_chars_and_2_layers():
    """The size the issue asks for: 256 units, 2 layers, 1,500 characters."""
    import jax

    from rnr.engine import model

    body = (view_textmodel.SAMPLE * 6)[:1500]
    vocab = sorted(set(body))
    cfg = model.ModelConfig(cell="lstm", n_in=len(vocab), hidden=256, n_out=len(vocab), layers=2,
                            input="embed", embed_dim=16)
    params = model.init(jax.random.PRNGKey(0), cfg)
    page = text_page.build_page(cfg, params, vocab, body).encode("utf-8")
    assert len(page) <= 1_000_000, len(page)
    data = json.loads(re.search(rb'type="application/json">(.*?)</script>', page, re.S).group(1))
    assert len(data["layers"]) == 2 and data["k"] >= 5  # still the top 5 of every ranking


def test_scores_find_planted_neurons():
    passage = 'ab "cd ef" gh\nij "kl" mn op\n' * 5
    feats = neurons.features(passage)
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 0.1, (len(passage), 4))
    acts = noise.copy()
    acts[:, 2] += feats["quote"]  # a quote neuron
    acts[:, 0] += 0.05 * feats["line"]  # a line-position neuron
    s = neurons.scores(acts, passage)
    assert int(np.argmax(s["quote"])) == 2
    assert int(np.argmax(s["line"])) == 0
    assert s["quote"][2] > 0.9 and max(s["quote"][[0, 1, 3]]) < 0.5
    # no quotes at all: the score is 0, not NaN
    assert np.all(neurons.scores(acts[:10], "abcdefghij")["quote"] == 0)


def _browser():
    pytest.importorskip("selenium")
    chrome = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    if not chrome or not driver:
        pytest.skip("headless Chromium and chromedriver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chrome
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--window-size=1200,900"):
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service(driver), options=opts)


def test_page_in_chromium(tiny, tmp_path):
    """What a reader sees: the default neuron chosen and explained, its values
    (decoded by the page) equal to the model's within the quantisation step,
    the text coloured by them, a colour bar with the neuron's range, labelled
    scores in order, another neuron repaints, hover shows five predictions."""
    cfg, params, vocab = tiny
    page = tmp_path / "neurons.html"
    html_text = text_page.build_page(cfg, params, vocab, PASSAGE, lang="es", name="tiny")
    page.write_text(html_text, encoding="utf-8")
    data = json.loads(re.search(r'type="application/json">(.*?)</script>', html_text, re.S).group(1))
    kept, ids = text_page.encode_passage(PASSAGE, vocab)
    hs, cs, _ = np_lstm(cfg, params, ids)
    browser = _browser()
    try:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select

        browser.get(page.as_uri())
        spans = browser.find_elements(By.CSS_SELECTOR, "#text span")
        assert len(spans) == len(PASSAGE) - 1
        # the default neuron is the one shown, and the page says why
        d = data["default"]
        shown = {k: browser.find_element(By.ID, k).get_attribute("value") for k in ("layer", "quantity", "rank", "neuron")}
        assert shown == {"layer": str(d["layer"]), "quantity": str(d["quantity"]), "rank": d["rank"],
                         "neuron": str(d["neuron"])}
        key = data["layers"][d["layer"]][d["quantity"]]["key"]
        assert key in ("h", "c") and d["rank"] != "variance"
        why = browser.find_element(By.ID, "why").text
        score = f"{d['score']:.2f}"  # Spanish writes 0,71 (0.71 where numbers are not localised)
        assert f"neurona {d['neuron']} " in why and (score.replace(".", ",") in why or score in why)
        # the values the page decoded are the model's (NumPy), within half a quantisation step
        q = data["layers"][d["layer"]][d["quantity"]]
        j = q["neurons"].index(d["neuron"])
        got = np.array(browser.execute_script(
            "return Array.from(decoded(arguments[0], arguments[1], arguments[2]))", d["layer"], d["quantity"], j))
        want = {"h": hs, "c": cs}[key][:, d["neuron"]]
        assert np.all(np.abs(got - want) <= q["step"][j] / 2 + 1e-5)
        # every character's colour: red for > 0, blue for < 0, alpha |value| / max |value|
        m = np.abs(want).max()
        for t in range(0, len(want), 7):
            rgba = re.findall(r"[\d.]+", spans[t].value_of_css_property("background-color"))
            r, g, b = (int(v) for v in rgba[:3])
            alpha = float(rgba[3]) if len(rgba) > 3 else 1.0
            if abs(want[t]) / m > 2 / 255:
                assert (r, g, b) == ((215, 48, 39) if want[t] > 0 else (49, 110, 200)), t
            assert abs(alpha - abs(want[t]) / m) <= 2 / 255, t
        # the colour bar: visible, a gradient, ticks at -max, 0, +max of this neuron
        bar = browser.find_element(By.ID, "colorbar")
        assert bar.is_displayed() and bar.size["width"] >= 100
        assert "linear-gradient" in bar.value_of_css_property("background-image")
        ticks = [browser.find_element(By.ID, i).text.replace(",", ".") for i in ("cb_lo", "cb_mid", "cb_hi")]
        assert float(ticks[0]) == pytest.approx(-m, rel=2e-3) and ticks[1] == "0"
        assert float(ticks[2]) == pytest.approx(m, rel=2e-3)
        assert f"neurona {d['neuron']}," in browser.find_element(By.ID, "cb_caption").text
        # scores are labelled and sorted, best first
        Select(browser.find_element(By.ID, "rank")).select_by_value("space")
        assert "|correlación| con «espacios»" in browser.find_element(By.ID, "scorelabel").text
        options = Select(browser.find_element(By.ID, "neuron")).options
        scores = [float(o.get_attribute("data-score")) for o in options]
        assert scores == sorted(scores, reverse=True) and len(options) == len(q["neurons"])
        for o in options:  # "neuron — score", the score with two decimals and a Spanish decimal comma
            shown = re.fullmatch(r"(\d+)\s+— (\d),(\d\d)", o.text.strip())
            assert shown and shown.group(1) == o.get_attribute("value"), o.text
            assert abs(float(f"{shown.group(2)}.{shown.group(3)}") - float(o.get_attribute("data-score"))) <= 0.005 + 1e-9
        colours = lambda: [s.value_of_css_property("background-color") for s in spans]  # noqa: E731
        before = colours()
        Select(browser.find_element(By.ID, "neuron")).select_by_index(1)
        after = colours()
        assert sum(a != b for a, b in zip(before, after)) > len(before) // 4
        ActionChains(browser).move_to_element(spans[5]).perform()
        preds = browser.find_elements(By.CSS_SELECTOR, "#tip .pred")
        assert len(preds) == 5 and browser.find_element(By.ID, "tip").is_displayed()
        assert all(re.search(r"\d+,\d %", p.text) for p in preds)
        shot = Path(os.environ.get("RNR_SCREENSHOT_DIR", tmp_path)) / "view_page.png"
        browser.save_screenshot(str(shot))
        assert shot.stat().st_size > 5000
    finally:
        browser.quit()


def test_cli_text_run_writes_the_page(tiny, tmp_path, monkeypatch, capsys):
    """`rnr view RUN` on a text run, with rnr.text.load_model returning the
    tiny model (the run folder holds no checkpoint)."""
    import rnr.text  # the real package: `rnr text`'s parser imports rnr.text.config
    from rnr import cli
    from rnr.io import runs

    cfg, params, vocab = tiny
    monkeypatch.setattr(rnr.text, "load_model", lambda run_dir: (cfg, params, vocab))
    run = tmp_path / "run"
    run.mkdir()
    from rnr import settings
    from rnr.text.config import TextConfig

    stored = {"task": "text", **settings.to_dict(TextConfig()), "vocab": list(vocab),
              "text": {"path": str(tmp_path / "gone.txt"), "sha256": "0"}}
    files.write_json(run / "config.json", stored)
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(PASSAGE, encoding="utf-8")
    assert cli.main(["view", str(run)]) == 2  # the run's text is gone: one sentence, nothing written
    assert "--text" in capsys.readouterr().err and not (run / "neurons.html").exists()
    assert cli.main(["view", str(run), "--text", str(corpus), "--chars", "100"]) == 0
    body = (run / "neurons.html").read_text(encoding="utf-8")
    assert body.startswith("<!DOCTYPE html>") and "http://" not in body and "https://" not in body
    assert '"T":100' in body
    # the contract of text runs: config.json names the text; by default the
    # passage starts where the held-out validation part begins
    files.write_json(run / "config.json", {**stored, "val_fraction": 0.25,
                                          "text": {"path": str(corpus), "sha256": "0", "chars": len(PASSAGE)}})
    assert cli.main(["view", str(run), "--chars", "30"]) == 0
    body = (run / "neurons.html").read_text(encoding="utf-8")
    tail = PASSAGE[len(PASSAGE) - round(len(PASSAGE) * 0.25):][:30].replace("\u00a7", "")
    assert '"chars":' + json.dumps(tail, ensure_ascii=False).replace("<", "\\u003c") in body


@pytest.mark.parametrize("name", ["__DATA__", "__LANG__", '<b x="1">__TITLE__</b> & __DATA__'])
def test_markers_in_user_text_stay_text(name):
    """The run folder's name and the passage may hold the template's markers:
    each is filled once, so the title is the escaped name and nothing else,
    and the passage reaches the page's data as it was."""
    import html
    import re

    import jax

    from rnr.engine import model
    from rnr.i18n import text

    passage = "a __DATA__ b __TITLE__ <!--<script> </script> __LANG__ c\n" * 2
    vocab = sorted(set(passage))
    cfg = model.ModelConfig(cell="lstm", n_in=len(vocab), hidden=4, n_out=len(vocab), input="embed", embed_dim=4)
    params = model.init(jax.random.PRNGKey(0), cfg)
    for lang in ("en", "es"):
        page = text_page.build_page(cfg, params, vocab, passage, lang=lang, name=name)
        title = html.escape(text("view_page_title", lang, name=name))
        assert re.findall(r"<title>(.*?)</title>", page, re.S) == [title]
        assert re.findall(r"<h2>(.*?)</h2>", page, re.S) == [title]
        assert page.startswith(f'<!DOCTYPE html>\n<html lang="{lang}">')
        # one data block, closed by its own tag, whose JSON gives the passage back
        blocks = re.findall(r'<script id="data" type="application/json">(.*?)</script>', page, re.S)
        assert len(blocks) == 1 and "<" not in blocks[0]
        assert json.loads(blocks[0])["chars"] == passage
