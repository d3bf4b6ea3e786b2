"""The vocabulary of a character-level model: every distinct character, sorted.

A "character" is one Unicode code point (Python's ``str`` indexing), so
accented letters, ñ and emoji are one symbol each:

    chars = sorted(set(text))          # stored with the run, in config.json
    encode(text)[t] = chars.index(text[t])
    decode(ids) = "".join(chars[i] for i in ids)

Text is normalised by nothing at all: what is in the file is what the model
sees (a precomposed "é" and "e" + a combining accent stay different).
"""

from __future__ import annotations

import numpy as np

from rnr.errors import UserError


class Vocab:
    """Characters <-> integer ids in [0, len(chars))."""

    def __init__(self, chars):
        self.chars = list(chars)
        self.index = {c: i for i, c in enumerate(self.chars)}
        if len(self.index) != len(self.chars) or any(len(c) != 1 for c in self.chars):
            raise ValueError("a vocabulary is a list of distinct single characters")

    @classmethod
    def from_text(cls, text: str) -> "Vocab":
        return cls(sorted(set(text)))

    def __len__(self) -> int:
        return len(self.chars)

    def missing(self, text: str) -> list[str]:
        """The characters of ``text`` not in the vocabulary, sorted."""
        return sorted(set(text) - self.index.keys())

    def encode(self, text: str, what: str = "text") -> np.ndarray:
        """int32 ids of ``text``; characters outside the vocabulary raise
        UserError naming them (``what`` says where they came from)."""
        bad = self.missing(text)
        if bad:
            shown = " ".join(repr(c) for c in bad[:10]) + (" ..." if len(bad) > 10 else "")
            raise UserError("text_unknown_chars", what=what, chars=shown, count=len(bad))
        lut = self.index
        return np.fromiter((lut[c] for c in text), np.int32, len(text))

    def decode(self, ids) -> str:
        return "".join(self.chars[int(i)] for i in np.asarray(ids).reshape(-1))
