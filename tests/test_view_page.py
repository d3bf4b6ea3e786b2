"""The neuron page: its data against an independent NumPy forward pass, and the
page itself in headless Chromium (skipped when Chromium or selenium is missing)."""

from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from rnr.views import neurons, text_page

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


def test_page_data_matches_numpy(tiny):
    cfg, params, vocab = tiny
    data = text_page.page_data(cfg, params, vocab, PASSAGE)
    kept, ids = text_page.encode_passage(PASSAGE, vocab)
    assert "\u00a7" not in kept and data["T"] == len(kept) == len(PASSAGE) - 1
    hs, cs, logits = np_lstm(cfg, params, ids)
    decode = lambda q: np.frombuffer(base64.b64decode(q["data"]), np.int8).reshape(cfg.hidden, -1).T  # noqa: E731
    q = {q["key"]: q for q in data["layers"][0]}
    np.testing.assert_allclose(decode(q["h"]) / 127, hs, atol=0.5 / 127 + 1e-4)
    # the cell state: each neuron on its own scale, its max |c| over the passage
    np.testing.assert_allclose(q["c"]["scale"], np.abs(cs).max(0), rtol=1e-3)
    np.testing.assert_allclose(decode(q["c"]) / 127 * np.abs(cs).max(0), cs, atol=np.abs(cs).max() / 127)
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    top = np.argsort(-p, 1)[:, :5]
    assert all(len(r) == 5 for r in data["top_chars"])
    np.testing.assert_allclose(np.array(data["top_probs"]), np.take_along_axis(p, top, 1), atol=1e-3)
    np.testing.assert_allclose(np.array(data["top_probs"]).sum(1), p[np.arange(len(p))[:, None], top].sum(1),
                               atol=1e-3)


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
    cfg, params, vocab = tiny
    page = tmp_path / "neurons.html"
    page.write_text(text_page.build_page(cfg, params, vocab, PASSAGE, lang="es", name="tiny"), encoding="utf-8")
    browser = _browser()
    try:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select

        browser.get(page.as_uri())
        spans = browser.find_elements(By.CSS_SELECTOR, "#text span")
        assert len(spans) == len(PASSAGE) - 1
        colours = lambda: browser.execute_script(  # noqa: E731
            "return [...document.querySelectorAll('#text span')].map(s => s.style.backgroundColor)")
        before = colours()
        neuron = Select(browser.find_element(By.ID, "neuron"))
        assert len(neuron.options) == cfg.hidden
        first = neuron.first_selected_option.get_attribute("value")
        other = next(o.get_attribute("value") for o in neuron.options if o.get_attribute("value") != first)
        neuron.select_by_value(other)
        after = colours()
        assert sum(a != b for a, b in zip(before, after)) > len(before) // 4
        # the rank menu reorders the neurons: the first one has the best score
        Select(browser.find_element(By.ID, "rank")).select_by_value("space")
        labels = [float(o.text.split("(")[1].rstrip(")")) for o in Select(browser.find_element(By.ID, "neuron")).options]
        assert labels == sorted(labels, reverse=True)
        ActionChains(browser).move_to_element(spans[5]).perform()
        preds = browser.find_elements(By.CSS_SELECTOR, "#tip .pred")
        assert len(preds) == 5 and browser.find_element(By.ID, "tip").is_displayed()
        shot = Path(os.environ.get("RNR_SCREENSHOT_DIR", tmp_path)) / "view_page.png"
        browser.save_screenshot(str(shot))
        assert shot.stat().st_size > 5000
    finally:
        browser.quit()


def test_cli_text_run_writes_the_page(tiny, tmp_path, monkeypatch, capsys):
    """`rnr view RUN` on a text run, with rnr.text.load_model returning the
    tiny model (the run folder holds no checkpoint)."""
    import rnr.text  # the real package: `rnr text`'s parser imports rnr.text.config
    from rnr import cli, runs

    cfg, params, vocab = tiny
    monkeypatch.setattr(rnr.text, "load_model", lambda run_dir: (cfg, params, vocab))
    run = tmp_path / "run"
    run.mkdir()
    stored = {"task": "text", "vocab": list(vocab), "text": {"path": str(tmp_path / "gone.txt"), "sha256": "0"}}
    runs.write_json(run / "config.json", stored)
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(PASSAGE, encoding="utf-8")
    assert cli.main(["view", str(run)]) == 2  # the run's text is gone: one sentence, nothing written
    assert "--text" in capsys.readouterr().err and not (run / "neurons.html").exists()
    assert cli.main(["view", str(run), "--text", str(corpus), "--chars", "100"]) == 0
    body = (run / "neurons.html").read_text(encoding="utf-8")
    assert body.startswith("<!DOCTYPE html>") and "http://" not in body and "https://" not in body
    assert '"T": 100' in body
    # the contract of text runs: config.json names the text; by default the
    # passage starts where the held-out validation part begins
    runs.write_json(run / "config.json", {**stored, "val_fraction": 0.25,
                                          "text": {"path": str(corpus), "sha256": "0", "chars": len(PASSAGE)}})
    assert cli.main(["view", str(run), "--chars", "30"]) == 0
    body = (run / "neurons.html").read_text(encoding="utf-8")
    tail = PASSAGE[len(PASSAGE) - round(len(PASSAGE) * 0.25):][:30].replace("\u00a7", "")
    assert '"chars": ' + json.dumps(list(tail), ensure_ascii=False) in body


@pytest.mark.parametrize("name", ["__DATA__", "__LANG__", '<b x="1">__TITLE__</b> & __DATA__'])
def test_markers_in_user_text_stay_text(name):
    """The run folder's name and the passage may hold the template's markers:
    each is filled once, so the title is the escaped name and nothing else,
    and the passage reaches the page's data as it was."""
    import html
    import re

    import jax

    from rnr import model
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
        assert "".join(json.loads(blocks[0])["chars"]) == passage
