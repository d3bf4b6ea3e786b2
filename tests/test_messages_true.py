"""Messages say what is true of the case that raises them (table-driven), and
Spanish messages are Spanish throughout: no English clause inside them, only
the flags, file names and technical names a user types."""

import re

import pytest

from rnr.errors import UserError
from rnr.i18n import MESSAGES

# common English words that are not also Spanish ("a", "no", "use", "series", "error", "bytes" are)
ENGLISH = set("""the and or of is are not with without for from to this that these which when give must should
cannot can has have was were be been it its an at by on in into than then only every each any first last file
files run runs step steps value values default number numbers length size shape training train loss found missing
after before between least most more less new old same different other another there their your you please check
instead already does do did will would here where how what who why so but if as per over under about also still yet
folder path window windows batch seconds minutes left done saved kept stopped starts start table column columns row
rows label labels class classes model models gap gaps seed seeds cell cells task delay dataset datasets download
chars characters epochs epoch hidden layers forecast horizon context see set get got need needs needed allowed while
because since up down best mean baseline solved accuracy""".split())
# names a user types, kept in English in every language: choices and the estimators' parameters
TECHNICAL = {"none", "all", "auto", "log", "end", "save", "text", "context", "horizon"}


def spanish_forms():
    for key, entry in MESSAGES.items():
        es = entry.get("es")
        for form in (es.values() if isinstance(es, dict) else [es]):
            if isinstance(form, str):
                yield key, form


def prose(template: str) -> str:
    """The words a reader reads as sentences: without {fields}, flags, commands, file and
    path names, quoted or `coded` text, CONSTANT and @header names, NAME=VALUE."""
    t = re.sub(r"\{[^{}]*\}", " ", template)
    t = re.sub(r"--[\w-]+", " ", t)
    t = re.sub(r"\brnr( [a-z]+)*", " ", t)
    t = re.sub(r"\S*/\S*|\S+\.\w{1,12}\b", " ", t)
    t = re.sub(r"'[^']*'|`[^`]*`|\"[^\"]*\"", " ", t)
    t = re.sub(r"\b[A-Z][A-Z0-9_]+\b|@\w+|<[^>]*>|\b\w+=\S*", " ", t)
    return t


def test_spanish_messages_have_no_english_words():
    found = [(key, word) for key, form in spanish_forms()
             for word in re.findall(r"[A-Za-zÁÉÍÓÚÑáéíóúñü]+", prose(form))
             if word.lower() in ENGLISH and word.lower() not in TECHNICAL]
    assert not found, found


@pytest.mark.parametrize("template,english", [
    ("el archivo {path} has zero bytes; use --out runs/x.", ["has", "zero"]),
    ("use rnr text train --resume {path} (por omisión: runs/text-<hora>)", []),
])
def test_the_scan_sees_english_and_spares_what_users_type(template, english):
    words = [w for w in re.findall(r"[A-Za-z]+", prose(template)) if w.lower() in ENGLISH | {"zero"}]
    assert words == english


def text_binary_case(tmp_path):
    """A 1 MB file with NUL bytes in it: not empty, but binary."""
    from rnr.text import data

    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 4096)
    with pytest.raises(UserError) as e:
        data.read_text(path)
    return e.value, {"size": path.stat().st_size}


def refused(call):
    with pytest.raises(UserError) as e:
        call()
    return e.value, {}


def label_with_spaces_case(tmp_path):
    """A label "hello world" against a header that declares hello and world."""
    from rnr.series import ts_file

    path = tmp_path / "s.ts"
    path.write_text("@classLabel true hello world\n@data\n1,2,3:hello world\n")
    return refused(lambda: ts_file.read_ts(path))


def npz_dtype_case(tmp_path):
    """X of strings: a wrong type, not a wrong shape."""
    import numpy as np

    from rnr.series import tables

    path = tmp_path / "s.npz"
    np.savez(path, X=np.array([["a", "b"], ["c", "d"]]), y=np.array([0, 1]))
    return refused(lambda: tables.read_npz(path))


def sweep_gaps_case(tmp_path):
    """Repeated gaps: the flag the user typed is --gaps."""
    from rnr.sweep.grid import SweepConfig

    return refused(lambda: SweepConfig.for_task("copy", lengths=(10, 10)).validate())


def mixed_dates_case(tmp_path):
    """Two ISO dates, then one written another way: the third line is to blame."""
    from rnr.series import tables

    path = tmp_path / "t.csv"
    path.write_text("date,value\n2020-01-01,1\n2020-01-02,2\n03/01/2020,3\n")
    return refused(lambda: tables.read_table(path))


def short_history_case(tmp_path):
    """A forecasting run continued from too few rows: no --horizon was given."""
    from rnr.errors import UserError as Error

    return Error("series_too_short_context", path="t.csv", rows=5, context=24), {}


# each case: what raises the message, words the sentence must hold, words it must not (they would be untrue)
CASES = [
    (text_binary_case, "text_binary", {"en": ["NUL", "0x00"], "es": ["NUL", "0x00"]},
     {"en": ["zero bytes", "empty"], "es": ["cero bytes", "vacío"]}),
    (label_with_spaces_case, "series_ts_label", {"en": ["'hello world'", "'hello', 'world'", "spaces"],
                                                 "es": ["'hello world'", "'hello', 'world'", "espacios"]},
     {"en": ["(hello world)"], "es": ["(hello world)"]}),
    (npz_dtype_case, "series_npz_dtype", {"en": ["<U1", "real numbers"], "es": ["<U1", "números reales"]},
     {"en": ["shape"], "es": ["forma"]}),
    (sweep_gaps_case, "sweep_repeated", {"en": ["--gaps"], "es": ["--gaps"]}, {"en": ["--lengths"], "es": ["--lengths"]}),
    (mixed_dates_case, "series_date_format", {"en": ["line 4", "03/01/2020", "2020-01-01"],
                                              "es": ["línea 4", "03/01/2020", "2020-01-01"]},
     {"en": ["line 2", "not a number"], "es": ["línea 2", "no es un número"]}),
    (short_history_case, "series_too_short_context", {"en": ["--context 24"], "es": ["--context 24"]},
     {"en": ["--horizon"], "es": ["--horizon"]}),
]


@pytest.mark.parametrize("case,key,says,never", CASES, ids=[c[1] for c in CASES])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_message_is_true_of_its_case(tmp_path, case, key, says, never, lang):
    error, facts = case(tmp_path)
    sentence = error.message(lang)
    assert error.key == key and "\n" not in sentence
    assert all(w in sentence for w in says[lang]) and not any(w in sentence for w in never[lang]), sentence
