"""A self-contained HTML page that colours text by one neuron of a text model.

``build_page(cfg, params, vocab, passage)`` runs the model over the passage
(one character per step, from a zero state) and writes every traced quantity
of every layer into one HTML file with inline CSS and JavaScript: no network
access is needed to open it. In the page:

- the passage, each character coloured by the chosen neuron's value after
  reading it (signed quantities: blue < 0 < red; gates: white 0 .. green 1);
- menus for the layer, the quantity (hidden state, cell state, each gate,
  the candidate), the ranking (``rnr.views.neurons.SCORES``) and the neuron,
  listed best first with its score;
- hovering a character shows the model's five most likely next characters.

Values are stored as int8 (value / scale * 127, scale 1 for gates and
tanh outputs; for the unbounded cell state, each neuron's own max |value|
over the passage), base64 encoded.
"""

from __future__ import annotations

import base64
import html
import json
import re

import numpy as np

from rnr import traces as tr
from rnr.i18n import text
from rnr.views import neurons

TOP_K = 5


def encode_passage(passage: str, vocab: list[str]) -> tuple[str, np.ndarray]:
    """Keep the characters the model knows; return (kept text, ids (T,))."""
    index = {ch: i for i, ch in enumerate(vocab)}
    kept = "".join(ch for ch in passage if ch in index)
    return kept, np.array([index[ch] for ch in kept], np.int32)


def _q(values: np.ndarray, scale: np.ndarray) -> str:
    """(T, H) floats and per-neuron scales (H,) -> base64 of int8 (H, T) in [-127, 127]."""
    q = np.clip(np.rint(values.T / scale[:, None] * 127), -127, 127).astype(np.int8)
    return base64.b64encode(np.ascontiguousarray(q).tobytes()).decode()


def _show(ch: str) -> str:
    return {"\n": "↵", " ": "␣", "\t": "⇥"}.get(ch, ch)


def page_data(cfg, params, vocab: list[str], passage: str, lang: str = "en") -> dict:
    """Everything the page shows, as plain JSON-ready data (tests read it too)."""
    kept, ids = encode_passage(passage, vocab)
    t = tr.collect(cfg, params, ids[:, None])
    layers = []
    for d in t.layers:
        qs = []
        for key, v in d.items():
            acts = v[:, 0, :]  # (T, H)
            gate = key in tr.GATE_KEYS
            scale = np.ones(acts.shape[1])
            if key == "c":  # unbounded: each neuron on its own scale
                scale = np.maximum(np.abs(acts).max(0), 1e-6)
            sc = neurons.scores(acts, kept)
            qs.append({"key": key, "label": text(tr.QUANTITY[key], lang), "gate": gate,
                       "scale": [float(f"{v:.4g}") for v in scale], "data": _q(acts, scale),
                       "scores": {k: [round(float(s), 3) for s in v] for k, v in sc.items()}})
        layers.append(qs)
    probs = t.probs[:, 0, :]
    top = np.argsort(-probs, axis=1)[:, :TOP_K]
    return {
        "chars": list(kept),
        "T": len(kept),
        "H": cfg.hidden,
        "layers": layers,
        "top_chars": [[_show(vocab[j]) for j in row] for row in top],
        "top_probs": [[round(float(probs[i, j]), 4) for j in row] for i, row in enumerate(top)],
        "rankings": [[name, text(f"view_rank_{name}", lang)] for name in neurons.SCORES],
        "ui": {k: text(f"view_page_{k}", lang) for k in ("layer", "quantity", "neuron", "rank", "help", "next")},
    }


def build_page(cfg, params, vocab: list[str], passage: str, lang: str = "en", name: str = "model") -> str:
    """The HTML page (a string) for ``passage`` read by the model."""
    data = page_data(cfg, params, vocab, passage, lang)
    # "<" only occurs inside JSON strings, where \u003c reads the same: no
    # "</script>" or "<!--" of the passage can end or upset the data block
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    values = {"__TITLE__": html.escape(text("view_page_title", lang, name=name)),
              "__LANG__": html.escape(lang), "__DATA__": payload}
    # one pass over the template: a value (the run's name, the passage) that
    # holds a marker is never scanned again
    return _MARKER.sub(lambda m: values[m.group(0)], PAGE)


_MARKER = re.compile("__TITLE__|__LANG__|__DATA__")


PAGE = """<!DOCTYPE html>
<html lang="__LANG__"><head><meta charset="utf-8"><title>__TITLE__</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.2em;color:#222}
#controls label{margin-right:1em}
#help{color:#555;font-size:.9em;max-width:60em}
#text{font-family:ui-monospace,monospace;font-size:15px;line-height:1.7;white-space:pre-wrap;
 max-width:80em;border:1px solid #ccc;padding:.6em}
#text span{cursor:default}
#tip{position:fixed;display:none;background:#fff;border:1px solid #888;padding:.3em .5em;
 font-family:ui-monospace,monospace;font-size:13px;box-shadow:2px 2px 6px #aaa;pointer-events:none}
#tip .bar{display:inline-block;height:.7em;background:#4a8;margin-left:.4em}
#legend{font-size:.85em;color:#555}
</style></head><body>
<h2>__TITLE__</h2>
<p id="help"></p>
<div id="controls">
<label><span id="l_layer"></span> <select id="layer"></select></label>
<label><span id="l_quantity"></span> <select id="quantity"></select></label>
<label><span id="l_rank"></span> <select id="rank"></select></label>
<label><span id="l_neuron"></span> <select id="neuron"></select></label>
<span id="legend"></span>
</div>
<div id="text"></div>
<div id="tip"></div>
<script id="data" type="application/json">__DATA__</script>
<script>
"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
const $ = (id) => document.getElementById(id);
for (const k of ["layer", "quantity", "neuron", "rank"]) $("l_" + k).textContent = D.ui[k];
$("help").textContent = D.ui.help;
const cache = {};
function values(l, q) {           // Int8Array (H*T), neuron-major
  const key = l + "/" + q;
  if (!cache[key]) {
    const s = atob(D.layers[l][q].data), a = new Int8Array(s.length);
    for (let i = 0; i < s.length; i++) a[i] = (s.charCodeAt(i) << 24) >> 24;
    cache[key] = a;
  }
  return cache[key];
}
function option(sel, value, label) {
  const o = document.createElement("option"); o.value = value; o.textContent = label; sel.appendChild(o);
}
D.layers.forEach((_, l) => option($("layer"), l, String(l)));
D.rankings.forEach(([k, label]) => option($("rank"), k, label));
function fillQuantities() {
  const sel = $("quantity"), old = sel.value; sel.innerHTML = "";
  D.layers[+$("layer").value].forEach((q, i) => option(sel, i, q.label));
  const keep = D.layers[+$("layer").value].findIndex((q) => q.key === "h");
  sel.value = old !== "" && +old < sel.options.length ? old : String(Math.max(keep, 0));
}
function fillNeurons() {
  const q = D.layers[+$("layer").value][+$("quantity").value];
  const s = q.scores[$("rank").value];
  const order = [...s.keys()].sort((a, b) => s[b] - s[a]);
  const sel = $("neuron"); sel.innerHTML = "";
  order.forEach((n) => option(sel, n, n + "  (" + s[n].toFixed(2) + ")"));
  sel.value = String(order[0]);
}
const spans = [];
D.chars.forEach((ch, t) => {
  const s = document.createElement("span");
  s.textContent = ch === "\\n" ? "↵\\n" : ch; s.dataset.t = t; spans.push(s); $("text").appendChild(s);
});
function paint() {
  const l = +$("layer").value, qi = +$("quantity").value, q = D.layers[l][qi], n = +$("neuron").value;
  const a = values(l, qi), off = n * D.T;
  for (let t = 0; t < D.T; t++) {
    const v = a[off + t] / 127;
    spans[t].style.backgroundColor = q.gate ? `rgba(30,160,60,${v.toFixed(3)})`
      : v >= 0 ? `rgba(215,48,39,${v.toFixed(3)})` : `rgba(49,110,200,${(-v).toFixed(3)})`;
  }
  const m = q.scale[n];
  $("legend").textContent = q.gate ? "0 … 1" : `-${m.toPrecision(3)} … +${m.toPrecision(3)}`;
}
$("text").addEventListener("mouseover", (e) => {
  const t = e.target.dataset ? e.target.dataset.t : undefined;
  if (t === undefined) return;
  const tip = $("tip"), rows = [`<div>${D.ui.next} “${esc(D.chars[t] === "\\n" ? "↵" : D.chars[t])}”</div>`];
  D.top_chars[t].forEach((c, k) => {
    const p = D.top_probs[t][k];
    rows.push(`<div class="pred"><b>${esc(c)}</b> ${(100 * p).toFixed(1)}%<span class="bar" style="width:${(60 * p).toFixed(1)}px"></span></div>`);
  });
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
fillQuantities(); fillNeurons(); paint();
</script></body></html>
"""
