"""``rnr series``: classification and forecasting on people's own numeric sequences.

    sequences.py   Sequences (padded (N, T, F) + lengths + labels) and the Scaler
    files.py       open a file safely (missing, folder, empty, too big: one sentence)
    ts_file.py     the UCR/UEA archive's ``.ts`` format
    tables.py      CSV/TSV (one labelled sequence per row, or a table of columns) and NPZ
    metrics.py     accuracy, confusion; MAE, RMSE, MASE, sMAPE, the seasonal naive forecast
    config.py      the settings of train, predict, forecast and eval (declared once)
    classify.py    many-to-one classification: the job the host loop runs
    forecast.py    the next H values from the last L: windows, the job, forecasting
    run.py         create / resume / load a series run (the run folder contract)

Masking and bidirectional layers belong to ``rnr.model``; this package only
prepares data, chooses the head and reports.
"""
