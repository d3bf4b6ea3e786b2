"""What the tutorial notebooks share besides rnr: the lines they print in each
language, numbers written the language's way, the corpus, and the figure of
section 3 (an RNN against LSTMs as the delay grows).

Importing it makes the folder ``nb_out`` beside the notebooks (where they
write) and sets matplotlib's figure dpi to 80, so that the figures stored in
the notebooks stay small.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from rnr.i18n import number

# RNR_NB_SMALL=1 (set by the test suite) shrinks every experiment to seconds
SMALL = os.environ.get("RNR_NB_SMALL") == "1"
OUT = Path("nb_out")  # relative to the notebook, which is where the kernel runs
OUT.mkdir(exist_ok=True)
plt.rcParams["figure.dpi"] = 80

CORPUS = Path("../../shared/data/quijote.txt")  # the shared data folder beside the repository
FALLBACK = ("En un lugar de la Mancha, de cuyo nombre no quiero acordarme, vivía un hidalgo, "
            "y Sancho Panza era su escudero. ")

# every line the notebooks print or draw, in each language
LINES = {
    "en": {
        "start": "rnr {rnr}, jax {jax} | small settings: {small}", "yes": "yes", "no": "no",
        "echo_done": "final-epoch loss {loss}, accuracy {acc} % ({seconds} s of training)",
        "lstm_acc": "LSTM accuracy: {acc} %",
        "trace": "{name}: shape {shape}, from {lo} to {hi}",
        "delay": "delay (steps)", "accuracy": "accuracy", "chance": "chance",
        "rnn": "RNN", "lstm0": "LSTM, forget bias 0", "lstm1": "LSTM, forget bias 1",
        "gap_row": "delay {delay:>2}: {values} (mean of {seeds} seeds)",
        "val": "step {step}: validation loss {nats} nats/char ({bits} bits/char)",
        "score": "{label}: neuron {neuron} (score {value})",
        "open": "open {path}",
    },
    "es": {
        "start": "rnr {rnr}, jax {jax} | configuración reducida: {small}", "yes": "sí", "no": "no",
        "echo_done": "pérdida de la última época {loss}, exactitud {acc} % ({seconds} s de entrenamiento)",
        "lstm_acc": "exactitud de la LSTM: {acc} %",
        "trace": "{name}: forma {shape}, de {lo} a {hi}",
        "delay": "retardo (pasos)", "accuracy": "exactitud", "chance": "azar",
        "rnn": "RNN", "lstm0": "LSTM, sesgo de olvido 0", "lstm1": "LSTM, sesgo de olvido 1",
        "gap_row": "retardo {delay:>2}: {values} (media de {seeds} semillas)",
        "val": "paso {step}: pérdida de validación {nats} nats/carácter ({bits} bits/carácter)",
        "score": "{label}: neurona {neuron} (puntuación {value})",
        "open": "abra {path}",
    },
}


def number_format(lang: str):
    """``num(x, spec=".3f")``: a number as ``lang`` writes it (0.5 or 0,5)."""
    return lambda x, spec=".3f": number(x, lang, spec)


def quijote(chars: int) -> str:
    """``chars`` characters of Don Quijote from a tenth of the way in (past the
    front matter); without the corpus, a sentence repeated."""
    if CORPUS.exists():
        body = CORPUS.read_text(encoding="utf-8")
        return body[len(body) // 10:][:chars]
    return (FALLBACK * 300)[:chars]


def fresh(path: Path) -> Path:
    """``path`` with nothing in it (a run folder the notebook writes again each time it runs)."""
    shutil.rmtree(path, ignore_errors=True)
    return path


def gap_figure(delays, acc: dict, lang: str):
    """Accuracy against the delay: one line per model (the mean over seeds) and
    a faint mark per seed; ``acc`` is {label: array (delays, seeds)}."""
    T, num = LINES[lang], number_format(lang)
    fig, ax = plt.subplots(figsize=(7, 4))
    for (name, a), marker in zip(acc.items(), "osD"):
        (line,) = ax.plot(delays, a.mean(1), marker + "-", label=name)
        ax.plot(np.repeat(delays, a.shape[1]), a.ravel(), marker, color=line.get_color(), alpha=0.3, ms=4)
    ax.axhline(0.5, color="grey", ls=":", lw=1)
    ax.text(delays[0], 0.505, T["chance"], color="grey", ha="left", va="bottom")
    ax.set_xticks(delays)
    ax.yaxis.set_major_formatter(lambda v, _: num(v, ".1f"))
    ax.set_xlabel(T["delay"])
    ax.set_ylabel(T["accuracy"])
    ax.set_ylim(0.4, 1.02)
    ax.legend(fontsize=8)
    return fig
