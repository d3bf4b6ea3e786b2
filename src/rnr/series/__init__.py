"""``rnr series``: classification and forecasting on people's own numeric sequences.

    sequences.py   Sequences (padded (N, T, F) + lengths + labels) and the Scaler
    files.py       open a file safely (missing, folder, empty, too big: one sentence)
    ts_file.py     the UCR/UEA archive's ``.ts`` format
    tables.py      CSV/TSV (one labelled sequence per row, or a table of columns) and NPZ
    metrics.py     accuracy, confusion; MAE, RMSE, MASE, sMAPE, the seasonal naive forecast
    config.py      the settings of train, predict, forecast and eval (declared once)
    classify.py    many-to-one classification: the job the host loop runs
    forecast.py    the next H values from the last L of one table: windows, forecasting
    panel.py       many series, one global model (--target all)
    forecast_job.py  the forecasting job the host loop runs (one table or many series)
    report.py      the lines a run prints (evaluations, summary)
    inputs.py      NumPy arrays, lists and pandas objects as the estimators take them
    classifier.py  Classifier: the same job from Python, scikit-learn style (rnr.estimator)
    forecaster.py  Forecaster: the same, for forecasting
    command.py, kind.py, figures.py, view.py   the CLI, the run kind, its figures

Masking and bidirectional layers belong to ``rnr.engine.model``; this package only
prepares data, chooses the head and reports.
"""

__all__ = ["Classifier", "Forecaster"]


def __getattr__(name):
    """``rnr.series.Classifier`` and ``Forecaster``, imported when first used
    (``import rnr.series`` stays light: no JAX)."""
    if name == "Classifier":
        from rnr.series.classifier import Classifier

        return Classifier
    if name == "Forecaster":
        from rnr.series.forecaster import Forecaster

        return Forecaster
    raise AttributeError(f"module 'rnr.series' has no attribute {name!r}")
