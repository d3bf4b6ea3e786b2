"""Rank a text model's neurons by how interesting they look over a passage.

A neuron's activation a (T,) is read after each character. Scores, each in
[0, 1] so that they compare across neurons (larger: more interesting):

    variance   var(a) / max over the neurons of var(a)
    quote      |corr(a, inside a quotation or a dialogue turn)|
    line       |corr(a, characters since the last newline)|
    space      |corr(a, the character is a space)|
    vowel      |corr(a, the character is a vowel)|

A feature that is constant over the passage (no quotes at all, say) scores 0.
"""

from __future__ import annotations

import numpy as np

# « » “ ” open and close; " and the dialogue dash — toggle; a blank line ends
# a quotation (Spanish dialogue runs from a dash to the end of its paragraph)
OPEN_QUOTES, CLOSE_QUOTES, BOTH_QUOTES = "«“", "»”", '"—'
VOWELS = set("aeiouáéíóúüAEIOUÁÉÍÓÚÜ")
SCORES = ("variance", "quote", "line", "space", "vowel")


def features(passage: str) -> dict[str, np.ndarray]:
    """Per-character features (T,) of ``passage``, as floats."""
    inside, state = [], False
    line, col, prev = [], 0, ""
    for ch in passage:
        if ch in OPEN_QUOTES:
            state = True
        elif ch in CLOSE_QUOTES:
            state = False
        elif ch in BOTH_QUOTES:
            state = not state
        elif ch == "\n" and prev == "\n":
            state = False
        inside.append(state)
        prev = ch
        col = 0 if ch == "\n" else col + 1
        line.append(col)
    return {
        "quote": np.array(inside, float),
        "line": np.array(line, float),
        "space": np.array([ch == " " for ch in passage], float),
        "vowel": np.array([ch in VOWELS for ch in passage], float),
    }


def abs_corr(acts: np.ndarray, feature: np.ndarray) -> np.ndarray:
    """|Pearson correlation| of each column of ``acts`` (T, H) with ``feature`` (T,);
    0 where either is constant."""
    a = acts - acts.mean(0)
    f = feature - feature.mean()
    den = np.sqrt((a * a).sum(0) * (f * f).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(den > 1e-12, (a * f[:, None]).sum(0) / np.where(den > 1e-12, den, 1.0), 0.0)
    return np.abs(r)


def scores(acts: np.ndarray, passage: str) -> dict[str, np.ndarray]:
    """Every score of ``SCORES`` for each neuron: {name: (H,)}."""
    var = acts.var(0)
    out = {"variance": var / var.max() if var.max() > 0 else np.zeros_like(var)}
    for name, feat in features(passage).items():
        out[name] = abs_corr(acts.astype(np.float64), feat)
    return out
