"""A self-contained HTML page that colours text by one neuron of a text model.

``build_page(cfg, params, vocab, passage)`` runs the model over the passage
(one character per step, from a zero state) and writes one HTML file with
inline CSS and JavaScript: no network access is needed to open it. In the page:

- the passage, each character coloured by the chosen neuron's value after
  reading it (signed quantities: blue < 0 < red, scaled to the neuron's
  largest |value| over the passage; gates: white 0 .. green 1), with a colour
  bar that names the neuron and its range;
- menus for the layer, the quantity (hidden state, cell state, each gate, the
  candidate), the ranking (``rnr.views.neurons.SCORES``) and the neuron,
  listed best first with its labelled score;
- a default neuron chosen for meaning, not variance (``default_choice``), and
  a sentence on the page that says why it is shown;
- hovering a character shows the model's five most likely next characters.

Size: every value is stored in 8 bits with an offset and a step per neuron
(``quantise``: value = lo + q * step, q in 0..255, error at most step / 2 =
(max - min) / 510), base64 encoded and decoded by the page's JavaScript. Not
every neuron is stored: for each layer and quantity, the union of the top
``k`` neurons of every ranking, with ``k`` the largest that keeps the stored
values within ``BUDGET`` bytes (at least 1), so the page stays under about
1 MB whatever the passage's length. The page says how many are stored.
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

import numpy as np

from rnr.engine import traces as tr
from rnr.errors import UserError
from rnr.io import files
from rnr.i18n import text
from rnr.views import neurons

TOP_K = 5
BUDGET = 600_000  # bytes of stored activations (before base64's 4/3)
STATES = ("h", "c")  # the quantities a default neuron is taken from
MEMORY_FEATURES = ("line", "quote")  # features the character just read does not give away
MEANINGFUL = 0.2  # a memory feature's |corr| below this does not make the default


def encode_passage(passage: str, vocab: list[str]) -> tuple[str, np.ndarray]:
    """Keep the characters the model knows; return (kept text, ids (T,))."""
    index = {ch: i for i, ch in enumerate(vocab)}
    kept = "".join(ch for ch in passage if ch in index)
    return kept, np.array([index[ch] for ch in kept], np.int32)


def quantise(acts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(T, K) floats -> (q (K, T) uint8, lo (K,), step (K,)) with
    value ~= lo + q * step, off by at most step / 2; step = (max - min) / 255,
    0 for a neuron constant over the passage."""
    a = acts.astype(np.float64)
    lo, hi = a.min(0), a.max(0)
    step = (hi - lo) / 255
    q = np.rint((a - lo) / np.where(step > 0, step, 1.0))
    q = np.clip(np.where(step > 0, q, 0), 0, 255).astype(np.uint8)
    return np.ascontiguousarray(q.T), lo, step


def _b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode()


def _show(ch: str) -> str:
    return {"\n": "↵", " ": "␣", "\t": "⇥"}.get(ch, ch)


def stored_neurons(all_scores: list[dict[str, dict[str, np.ndarray]]], T: int, budget: int = BUDGET):
    """(keep, k): for each layer, {quantity: sorted neuron ids to store}, the
    union of the top k of every ranking, k the largest with every stored
    value within ``budget`` bytes (one byte per value and character), k >= 1."""
    orders = [{key: [np.argsort(-s, kind="stable") for s in sc.values()] for key, sc in layer.items()}
              for layer in all_scores]

    def pick(k):
        return [{key: sorted({int(n) for o in os_ for n in o[:k]}) for key, os_ in layer.items()}
                for layer in orders]

    H = max(len(s) for layer in all_scores for sc in layer.values() for s in sc.values())
    best, k_best = pick(1), 1
    for k in range(2, H + 1):
        p = pick(k)
        if sum(len(v) for layer in p for v in layer.values()) * T > budget:
            break
        best, k_best = p, k
        if all(len(v) == H for layer in p for v in layer.values()):
            break
    return best, k_best


def default_choice(all_scores) -> dict:
    """The neuron shown first: among the states (hidden and cell state) of
    every layer, the one most correlated with a feature that needs memory
    (position in the line, inside a quotation); if none reaches
    ``MEANINGFUL``, the one most correlated with any feature (spaces,
    vowels too). Never variance: the neurons that vary most are often noise."""
    def best(features):
        top = None
        for l, layer in enumerate(all_scores):
            keys = [k for k in layer if k in STATES] or list(layer)
            for key in keys:
                for f in features:
                    s = layer[key][f]
                    n = int(np.argmax(s))
                    if top is None or s[n] > top["score"]:
                        top = {"layer": l, "key": key, "rank": f, "neuron": n, "score": float(s[n])}
        return top

    pick = best(MEMORY_FEATURES)
    if pick["score"] < MEANINGFUL:
        pick = best([f for f in neurons.SCORES if f != "variance"])
    return pick


def page_data(cfg, params, vocab: list[str], passage: str, lang: str = "en", budget: int = BUDGET) -> dict:
    """Everything the page shows, as plain JSON-ready data (tests read it too)."""
    kept, ids = encode_passage(passage, vocab)
    t = tr.collect(cfg, params, ids[:, None])
    T = len(kept)
    acts = [{key: v[:, 0, :] for key, v in d.items()} for d in t.layers]  # per layer {key: (T, H)}
    all_scores = [{key: neurons.scores(a, kept) for key, a in layer.items()} for layer in acts]
    keep, k_top = stored_neurons(all_scores, T, budget)
    layers = []
    for layer, sc_layer, keep_layer in zip(acts, all_scores, keep):
        qs = []
        for key, a in layer.items():
            ns = keep_layer[key]
            q, lo, step = quantise(a[:, ns])
            qs.append({"key": key, "label": text(tr.QUANTITY[key], lang), "gate": key in tr.GATE_KEYS,
                       "neurons": ns, "lo": lo.tolist(), "step": step.tolist(), "data": _b64(q),
                       "scores": {name: [round(float(s[n]), 3) for n in ns] for name, s in sc_layer[key].items()}})
        layers.append(qs)
    d = default_choice(all_scores)
    quantity = [q["key"] for q in layers[d["layer"]]].index(d["key"])
    why = text("view_page_default_memory" if d["rank"] in MEMORY_FEATURES else "view_page_default_any", lang,
               neuron=str(d["neuron"]), layer=str(d["layer"]), quantity=text(tr.QUANTITY[d["key"]], lang),
               feature=text(f"view_rank_{d['rank']}", lang), score=d["score"])
    probs = t.probs[:, 0, :]
    top = np.argsort(-probs, axis=1)[:, :TOP_K]
    wide = np.dtype("<u2") if len(vocab) > 256 else np.dtype(np.uint8)
    return {
        "lang": lang,  # numbers in the page are written the language's way
        "chars": kept,  # the page splits it by code point
        "T": T,
        "H": cfg.hidden,
        "layers": layers,
        "vocab": [_show(ch) for ch in vocab],
        "top_ids": _b64(top.astype(wide)),  # (T, TOP_K), little-endian
        "top_bytes": wide.itemsize,
        "top_probs": _b64(np.rint(np.take_along_axis(probs, top, 1) * 65535).astype("<u2")),  # p * 65535
        "rankings": [[name, text(f"view_rank_{name}", lang),
                      text("view_score_variance" if name == "variance" else "view_score_corr", lang,
                           feature=text(f"view_rank_{name}", lang))] for name in neurons.SCORES],
        "default": {"layer": d["layer"], "quantity": quantity, "rank": d["rank"], "neuron": d["neuron"],
                    "score": round(d["score"], 3), "why": why},
        "k": k_top,
        # templates: the page fills each "{field}" for the quantity and neuron shown
        "ui": {k: text(f"view_page_{k}", lang, **{f: "{" + f + "}" for f in _FIELDS.get(k, ())}) for k in
               ("layer", "quantity", "neuron", "rank", "help", "next", "stored", "stored_all", "colour", "score")},
    }


def build_page(cfg, params, vocab: list[str], passage: str, lang: str = "en", name: str = "model",
               budget: int = BUDGET) -> str:
    """The HTML page (a string) for ``passage`` read by the model."""
    data = page_data(cfg, params, vocab, passage, lang, budget)
    # "<" only occurs inside JSON strings, where \u003c reads the same: no
    # "</script>" or "<!--" of the passage can end or upset the data block
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    values = {"__TITLE__": html.escape(text("view_page_title", lang, name=name)),
              "__LANG__": html.escape(lang), "__DATA__": payload}
    # one pass over the template: a value (the run's name, the passage) that
    # holds a marker is never scanned again
    return _MARKER.sub(lambda m: values[m.group(0)], PAGE)


_FIELDS = {"stored": ("n", "hidden", "k"), "stored_all": ("hidden",), "colour": ("neuron", "quantity", "layer")}
_MARKER = re.compile("__TITLE__|__LANG__|__DATA__")


PAGE = """<!DOCTYPE html>
<html lang="__LANG__"><head><meta charset="utf-8"><title>__TITLE__</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.2em;color:#222}
#controls label{margin-right:1em}
#help,#why,#stored{color:#444;font-size:.9em;max-width:62em;margin:.4em 0}
#why{color:#000;background:#f4f4e8;border-left:4px solid #c9b24a;padding:.3em .6em}
#scorelabel{font-size:.85em;color:#555}
#cbar{display:flex;align-items:center;gap:.5em;margin:.6em 0;font-size:.85em}
#colorbar{width:260px;height:14px;border:1px solid #888}
#cb_ticks{display:flex;justify-content:space-between;width:262px;font-family:ui-monospace,monospace}
#text{font-family:ui-monospace,monospace;font-size:15px;line-height:1.7;white-space:pre-wrap;
 max-width:80em;border:1px solid #ccc;padding:.6em}
#text span{cursor:default}
#tip{position:fixed;display:none;background:#fff;border:1px solid #888;padding:.3em .5em;
 font-family:ui-monospace,monospace;font-size:13px;box-shadow:2px 2px 6px #aaa;pointer-events:none}
#tip .bar{display:inline-block;height:.7em;background:#4a8;margin-left:.4em}
</style></head><body>
<h2>__TITLE__</h2>
<p id="help"></p>
<p id="why"></p>
<div id="controls">
<label><span id="l_layer"></span> <select id="layer"></select></label>
<label><span id="l_quantity"></span> <select id="quantity"></select></label>
<label><span id="l_rank"></span> <select id="rank"></select></label>
<label><span id="l_neuron"></span> <select id="neuron"></select></label>
<span id="scorelabel"></span>
</div>
<p id="stored"></p>
<div id="cbar"><span id="cb_caption"></span>
<div><div id="colorbar"></div><div id="cb_ticks"><span id="cb_lo"></span><span id="cb_mid"></span><span id="cb_hi"></span></div></div>
</div>
<div id="text"></div>
<div id="tip"></div>
<script id="data" type="application/json">__DATA__</script>
<script>
"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
D.chars = Array.from(D.chars);
const fixed = (d) => new Intl.NumberFormat(D.lang, {minimumFractionDigits: d, maximumFractionDigits: d});
const sig3 = new Intl.NumberFormat(D.lang, {minimumSignificantDigits: 3, maximumSignificantDigits: 3});
const F2 = fixed(2), F1 = fixed(1);
const $ = (id) => document.getElementById(id);
for (const k of ["layer", "quantity", "neuron", "rank"]) $("l_" + k).textContent = D.ui[k];
$("help").textContent = D.ui.help;
$("why").textContent = D.default.why;
function bytes(b64) {             // base64 -> Uint8Array
  const s = atob(b64), a = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
  return a;
}
function u16(a) {                 // little-endian pairs -> numbers
  const out = new Array(a.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = a[2 * i] | (a[2 * i + 1] << 8);
  return out;
}
const topRaw = bytes(D.top_ids), topIds = D.top_bytes === 2 ? u16(topRaw) : Array.from(topRaw);
const topP = u16(bytes(D.top_probs)).map((v) => v / 65535);
const K = 5;
const cache = {};
function decoded(l, qi, j) {      // Float64Array (T): the j-th stored neuron's values
  const key = l + "/" + qi;
  if (!cache[key]) cache[key] = bytes(D.layers[l][qi].data);
  const q = D.layers[l][qi], a = cache[key], out = new Float64Array(D.T), lo = q.lo[j], st = q.step[j];
  for (let t = 0; t < D.T; t++) out[t] = lo + a[j * D.T + t] * st;
  return out;
}
function option(sel, value, label) {
  const o = document.createElement("option"); o.value = value; o.textContent = label; sel.appendChild(o); return o;
}
D.layers.forEach((_, l) => option($("layer"), l, String(l)));
D.rankings.forEach(([k, label]) => option($("rank"), k, label));
function current() { return D.layers[+$("layer").value][+$("quantity").value]; }
function fillQuantities(pick) {
  const sel = $("quantity"), old = sel.value; sel.innerHTML = "";
  D.layers[+$("layer").value].forEach((q, i) => option(sel, i, q.label));
  const h = D.layers[+$("layer").value].findIndex((q) => q.key === "h");
  sel.value = pick !== undefined ? String(pick) : old !== "" && +old < sel.options.length ? old : String(Math.max(h, 0));
}
function fillNeurons(pick) {
  const q = current(), r = $("rank").value, s = q.scores[r];
  const order = [...s.keys()].sort((a, b) => s[b] - s[a]);
  const sel = $("neuron"); sel.innerHTML = "";
  order.forEach((j) => { const o = option(sel, q.neurons[j], q.neurons[j] + "  — " + F2.format(s[j])); o.dataset.score = s[j]; });
  sel.value = String(pick !== undefined && q.neurons.includes(pick) ? pick : q.neurons[order[0]]);
  const label = D.rankings.find((x) => x[0] === r)[2];
  $("scorelabel").textContent = D.ui.score + " " + label;
  $("stored").textContent = (q.neurons.length === D.H ? D.ui.stored_all : D.ui.stored)
    .replace("{n}", q.neurons.length).replace("{hidden}", D.H).replace("{k}", D.k);
}
function colour(v, gate, m) {     // the one colour scale, shared with the colour bar
  if (gate) return `rgba(30,160,60,${Math.min(1, Math.max(0, v)).toFixed(3)})`;
  const x = m > 0 ? Math.max(-1, Math.min(1, v / m)) : 0;
  return x >= 0 ? `rgba(215,48,39,${x.toFixed(3)})` : `rgba(49,110,200,${(-x).toFixed(3)})`;
}
const spans = [];
D.chars.forEach((ch, t) => {
  const s = document.createElement("span");
  s.textContent = ch === "\\n" ? "↵\\n" : ch; s.dataset.t = t; spans.push(s); $("text").appendChild(s);
});
function paint() {
  const q = current(), n = +$("neuron").value, j = q.neurons.indexOf(n), v = decoded(+$("layer").value, +$("quantity").value, j);
  const m = Math.max(Math.abs(q.lo[j]), Math.abs(q.lo[j] + 255 * q.step[j]));
  for (let t = 0; t < D.T; t++) spans[t].style.backgroundColor = colour(v[t], q.gate, m);
  $("colorbar").style.background = q.gate ? "linear-gradient(to right, #fff, rgb(30,160,60))"
    : "linear-gradient(to right, rgb(49,110,200), #fff, rgb(215,48,39))";
  $("cb_lo").textContent = q.gate ? "0" : "-" + sig3.format(m);
  $("cb_mid").textContent = q.gate ? F1.format(0.5) : "0";
  $("cb_hi").textContent = q.gate ? "1" : "+" + sig3.format(m);
  $("cb_caption").textContent = D.ui.colour.replace("{neuron}", n).replace("{quantity}", q.label).replace("{layer}", $("layer").value);
}
$("text").addEventListener("mouseover", (e) => {
  const t = e.target.dataset ? e.target.dataset.t : undefined;
  if (t === undefined) return;
  const tip = $("tip"), rows = [`<div>${D.ui.next} “${esc(D.chars[t] === "\\n" ? "↵" : D.chars[t])}”</div>`];
  for (let k = 0; k < K; k++) {
    const c = D.vocab[topIds[t * K + k]], p = topP[t * K + k];
    rows.push(`<div class="pred"><b>${esc(c)}</b> ${F1.format(100 * p)} %<span class="bar" style="width:${(60 * p).toFixed(1)}px"></span></div>`);
  }
  tip.innerHTML = rows.join("");
  const r = e.target.getBoundingClientRect();
  tip.style.left = (r.left + 4) + "px"; tip.style.top = (r.bottom + 4) + "px"; tip.style.display = "block";
});
$("text").addEventListener("mouseleave", () => { $("tip").style.display = "none"; });
function esc(s) { return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"); }
$("layer").onchange = () => { fillQuantities(); fillNeurons(); paint(); };
$("quantity").onchange = () => { fillNeurons(); paint(); };
$("rank").onchange = () => { fillNeurons(); paint(); };
$("neuron").onchange = paint;
$("layer").value = String(D.default.layer);
$("rank").value = D.default.rank;
fillQuantities(D.default.quantity); fillNeurons(D.default.neuron); paint();
</script></body></html>
"""


def passage_of(options, raw: dict, run_dir: Path) -> str:
    """The passage to show: ``chars`` characters of ``options.text`` (or of
    the text the run trained on, ``config["text"]["path"]``) from ``start``
    (default: where the held-out last ``val_fraction`` of the text begins)."""
    from rnr.engine import memory

    path = options.text
    named = raw.get("text")
    if path is None and isinstance(named, dict) and isinstance(named.get("path"), str):
        path = named["path"]
    if path is None:
        raise UserError("view_need_text")
    p = Path(path)
    if not p.is_absolute() and not p.exists() and (run_dir / p).exists():
        p = run_dir / p
    if not p.is_file():  # missing, a folder, a fifo that would block: none is a text file
        raise UserError("view_no_text", path=p)
    memory.check_fits(8 * p.stat().st_size, str(p))
    try:
        body = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise UserError("view_no_text", path=p) from None
    start = options.start
    if start is None:
        frac = raw.get("val_fraction") if options.text is None else None
        start = len(body) - int(round(len(body) * frac)) if isinstance(frac, float) and 0 < frac < 1 else 0
    start = max(0, min(start, len(body) - 2))
    return body[start: start + max(0, options.chars)]


def render(run_dir, options, lang: str) -> list[Path]:
    """Write ``neurons.html`` into a text run's folder; returns its path."""
    import rnr.text
    from rnr.io import runs

    run_dir = Path(run_dir)
    _, _, raw = runs.read_config(run_dir)
    passage = passage_of(options, raw, run_dir)  # the text first: its sentence before a checkpoint's
    mcfg, params, vocab = rnr.text.load_model(run_dir)
    kept, _ = encode_passage(passage, vocab)
    if len(kept) < 2:
        raise UserError("view_text_short", n=len(kept))
    page = build_page(mcfg, params, vocab, passage, lang=lang, name=run_dir.name)
    out = run_dir / "neurons.html"
    files.atomic_write_bytes(out, page.encode("utf-8"))
    return [out]
