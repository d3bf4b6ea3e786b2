"""What many test files share: where the source is, and the one-sentence check."""

from pathlib import Path

from rnr.cli import main

SRC = str(Path(__file__).resolve().parents[1] / "src")  # for subprocesses: PYTHONPATH=SRC


def one_sentence(capsys, argv, *words, code=2) -> str:
    """``rnr argv`` exits with ``code`` (2) and one line on stderr, "error: ..."
    with no traceback, holding every one of ``words``; returns the line."""
    capsys.readouterr()
    assert main(argv) == code
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err, err
    assert all(w in err for w in words), err
    return err
