"""Make the pictures in docs/view.md: a char LSTM on Don Quijote (core API:
rnr.engine.model + rnr.engine.tbptt), its neuron page, and a browser screenshot of it.

    PYTHONPATH=src python docs/view_pictures.py OUT_DIR [--hidden 256] [--epochs 2]
    PYTHONPATH=src python docs/view_pictures.py OUT_DIR --reuse      # the model saved in OUT_DIR
    PYTHONPATH=src python docs/view_pictures.py OUT_DIR --page PAGE.html [--score line --quantity c]

The screenshot shows the page as it opens (its default neuron) unless
--score/--quantity pick another ranking or quantity.

Needs ../shared/data/quijote.txt; the screenshot needs chromium, chromedriver
and selenium. Until `rnr.text` lands this stands in for a text run.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import jax
import numpy as np

from rnr.engine import model, optim, tbptt
from rnr.views import neurons
from rnr.text import page as text_page
from rnr.io import files

ROOT = Path(__file__).resolve().parents[1]


def train(body: str, hidden: int, epochs: int, batch: int = 32, window: int = 64):
    vocab = sorted(set(body))
    ids = np.array([vocab.index(c) for c in body], np.int32)
    cfg = model.ModelConfig(cell="lstm", n_in=len(vocab), hidden=hidden, n_out=len(vocab), input="embed",
                            embed_dim=32)
    params = model.init(jax.random.PRNGKey(0), cfg)
    X = tbptt.to_windows(tbptt.layout_rows(ids[:-1], batch), window)
    Y = tbptt.to_windows(tbptt.layout_rows(ids[1:], batch), window)
    opt = optim.make("adam", 2e-3, 1.0)
    state = opt.init(params)
    chunk = tbptt.make_train_chunk(cfg, opt, unroll=1)
    for epoch in range(epochs):
        carry, t0, losses = model.zeros(cfg, batch), time.perf_counter(), []
        for s in range(0, len(X) - 99, 100):
            params, state, carry, loss, _ = chunk(params, state, carry, X[s:s + 100], Y[s:s + 100])
            losses.append(np.asarray(loss))
        last = float(np.concatenate(losses)[-50:].mean())
        print(f"epoch {epoch}: {last:.3f} nats/char ({last / np.log(2):.2f} bits/char), "
              f"{time.perf_counter() - t0:.0f} s", flush=True)
    return cfg, params, vocab


def screenshot(page: Path, png: Path, score: str | None = None, quantity: str | None = None):
    import shutil

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    opts = webdriver.ChromeOptions()
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--window-size=1100,760"):
        opts.add_argument(flag)
    b = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
    try:
        b.get(page.as_uri())
        if quantity:
            b.execute_script("const s = document.getElementById('quantity');"
                             "s.value = String(D.layers[+document.getElementById('layer').value]"
                             ".findIndex((q) => q.key === arguments[0]));"
                             "s.dispatchEvent(new Event('change'));", quantity)
        if score:
            Select(b.find_element(By.ID, "rank")).select_by_value(score)
        spans = b.find_elements(By.CSS_SELECTOR, "#text span")
        ActionChains(b).move_to_element(spans[120]).perform()
        b.save_screenshot(str(png))
    finally:
        b.quit()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--score", default=None, help="ranking shown in the screenshot (default: the page's)")
    ap.add_argument("--quantity", default=None, help="traced quantity shown (c: cell state; default: the page's)")
    ap.add_argument("--page", default=None, help="only take the screenshot of this page")
    ap.add_argument("--reuse", action="store_true", help="load the model saved in OUT instead of training")
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    if a.page:
        screenshot(Path(a.page).resolve(), out / "view_text_neuron.png", a.score, a.quantity)
        return
    from rnr.io import checkpoint, runs

    body = (ROOT.parent / "shared" / "data" / "quijote.txt").read_text(encoding="utf-8")
    cut = len(body) * 9 // 10
    if a.reuse:
        saved = files.read_json(out / "model.json")
        vocab = saved["vocab"]
        cfg = model.ModelConfig(cell="lstm", n_in=len(vocab), hidden=saved["hidden"], n_out=len(vocab),
                                input="embed", embed_dim=32)
        params = checkpoint.load(out / "params.safetensors", model.init(jax.random.PRNGKey(0), cfg))[0]
    else:
        cfg, params, vocab = train(body[:cut], a.hidden, a.epochs)
        checkpoint.save(out / "params.safetensors", params)  # to redraw the page later
        files.write_json(out / "model.json", {"hidden": a.hidden, "vocab": vocab})
    passage = body[cut + 5000: cut + 6500]  # text the model never trained on
    kept, ids = text_page.encode_passage(passage, vocab)
    from rnr.engine import traces

    t = traces.collect(cfg, params, ids[:, None])
    for key in ("h", "c"):
        sc = neurons.scores(t.layers[0][key][:, 0, :], kept)
        for s in neurons.SCORES:
            n = int(np.argmax(sc[s]))
            print(f"{key} {s:>8}: neuron {n}, score {sc[s][n]:.2f}")
    page = out / "neurons.html"
    page.write_text(text_page.build_page(cfg, params, vocab, passage, lang="es", name="Quijote"), encoding="utf-8")
    print(f"{page}: {page.stat().st_size:,} bytes")
    screenshot(page, out / "view_text_neuron.png", a.score, a.quantity)
    print("wrote", page, out / "view_text_neuron.png")


if __name__ == "__main__":
    main()
