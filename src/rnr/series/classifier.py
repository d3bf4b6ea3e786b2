"""``rnr.series.Classifier``: ``rnr series train`` for classification, from
Python, with scikit-learn's estimator contract (``rnr.estimator``).

    Classifier(hidden=16, epochs=50).fit(X, y).predict(X_new)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rnr.estimator import Settings, fit_job, read_best, read_history, user_errors
from rnr.series.config import FORECAST_ONLY, SeriesConfig
from rnr.series.inputs import as_labels, as_sequences, load_series, npz_bytes, stored_params
from rnr.series.report import eval_line
from rnr.errors import UserError
from rnr.series.sequences import pad



class Classifier(Settings):
    """A recurrent network that gives whole sequences a class (``rnr series train``).

    Parameters: every setting of ``rnr series train`` for classification, by
    the same name and with the same default (``hidden=64``, ``steps=2000``,
    ``conv=None``: a convolutional branch 64 wide, ``val_fraction=0.2``,
    ``clip=1.0`` (``None`` or 0: off), ...); and
    ``run_dir`` (None: train in memory; else a new run folder, written as
    the CLI writes it), ``verbose`` (0: silent, 1: progress and validation
    lines), ``layout`` ("NTF": X is (N, T, F), as Keras and PyTorch; "NCT":
    (N, F, T), as aeon).

    ``fit(X, y)``: X an array (N, T, F), (N, T) for one feature, or a list of
    (T_i, F) arrays of unequal lengths (masked: the model never reads past a
    sequence's end); NaN at the end of a sequence is padding. y: any labels.
    A stratified ``val_fraction`` of the sequences is held out for
    validation, as the CLI does; the features are standardised with the
    rest's mean and standard deviation.

    Fitted attributes: ``classes_`` (in the CLI's order: numbers by value,
    then names), ``n_features_in_``, ``history_`` (metrics.jsonl's lines:
    each chunk's loss and each validation), ``summary_`` (summary.json),
    ``run_dir_`` (None when trained in memory).
    """

    config = SeriesConfig
    exclude = FORECAST_ONLY + ("refit",)  # refit: the command line's (rnr.series.refit)
    extra = {"run_dir": None, "verbose": 0, "layout": "NTF"}
    _estimator_type = "classifier"

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags

        return Tags(estimator_type="classifier", target_tags=TargetTags(required=True),
                    classifier_tags=ClassifierTags(), input_tags=InputTags(three_d_array=True, allow_nan=True))

    def fit(self, X, y):
        """Train on sequences ``X`` and their labels ``y``; returns self."""
        from rnr.series import classify

        with user_errors():
            cfg = self.settings()
            self.check_extra()
            seqs = as_sequences(X, self.layout)
            idx, classes, names = as_labels(y, len(seqs))
            data = pad(seqs, idx, tuple(names))
            prep = classify.prepare_sequences(cfg, data, "X")
            job = classify.ClassifyJob(cfg, prep, on_eval=eval_line)
            labels = classes if classes.dtype.kind != "U" else classes.astype(str)
            config = {"task": "series", **cfg.to_dict(), **prep.info, "label_dtype": classes.dtype.str}
            fit_job(self, job, config, "data.npz", npz_bytes(seqs, labels[idx]))
        self._model = (job.mcfg, cfg.pooled(), prep.scaler, cfg.ensemble)
        self.classes_, self.n_features_in_ = classes, data.features
        return self

    def predict_proba(self, X) -> np.ndarray:
        """(N, K) probabilities, columns in ``classes_``'s order."""
        from rnr.series import classify

        self._fitted()
        mcfg, pool, scaler, members = self._model
        with user_errors():
            seqs = as_sequences(X, self.layout)
            if seqs[0].shape[1] != self.n_features_in_:
                raise UserError("est_x_features", what="X", found=seqs[0].shape[1], expected=self.n_features_in_)
            data = scaler.apply(pad(seqs, np.full(len(seqs), -1), ()))
            log_p = classify.mean_log_probabilities(mcfg, pool, self._params(), data, members)
        return np.exp(log_p.astype(np.float64))

    def predict(self, X) -> np.ndarray:
        """The most probable class of each sequence."""
        p = self.predict_proba(X)
        return self.classes_[np.argmax(p, axis=1)]

    def score(self, X, y) -> float:
        """Accuracy: the fraction of sequences whose predicted class is ``y``'s."""
        return float(np.mean(self.predict(X) == np.asarray(y)))

    @classmethod
    def load(cls, path) -> "Classifier":
        """A fitted Classifier from any classification run folder (CLI or ``save``)."""
        with user_errors():
            run, tree = load_series(path, "classify")
            from rnr.series.sequences import Scaler

            est = cls(**stored_params(cls, run.cfg))
            names, dtype = run.raw["classes"], run.raw.get("label_dtype", "<U")
            est.classes_ = _classes_back(names, dtype)
            est.n_features_in_ = run.raw["features"]
            est._tree, est._meta, est._config, est._files = tree, run.meta, run.raw, {}
            est._best = read_best(path, tree["params"])
            est._model = (run.mcfg, run.cfg.pooled(), Scaler.from_dict(run.raw["scaler"]), run.cfg.ensemble)
            est.history_, est.summary_ = read_history(path)
            est.run_dir_ = Path(path)
        return est


def _classes_back(names: list, dtype: str) -> np.ndarray:
    kind = np.dtype(dtype).kind
    try:
        if kind in "iu":
            return np.array([int(float(c)) for c in names], dtype)
        if kind == "f":
            return np.array([float(c) for c in names], dtype)
        if kind == "b":
            return np.array([c == "True" for c in names])
    except ValueError:
        pass
    return np.array(names)
