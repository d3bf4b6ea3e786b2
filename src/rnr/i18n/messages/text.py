"""Messages of `rnr text` and `rnr export`: key -> {"en": ..., "es": ...}."""

MESSAGES = {
    # errors about the input text
    "text_missing": {"en": "The text file {path} does not exist; check the path.",
                     "es": "El archivo de texto {path} no existe; revise la ruta."},
    "text_not_file": {"en": "{path} is not a file; give the path of a UTF-8 text file.",
                      "es": "{path} no es un archivo; indique la ruta de un archivo de texto UTF-8."},
    "text_empty": {"en": "The text file {path} is empty; give a file with some text in it.",
                   "es": "El archivo de texto {path} está vacío; indique un archivo con texto."},
    "text_binary": {"en": "{path} looks like a binary file: it contains NUL characters (bytes of value 0x00), which "
                          "text never holds; give a plain UTF-8 text file.",
                    "es": "{path} parece un archivo binario: contiene caracteres NUL (bytes de valor 0x00), que un "
                          "texto nunca tiene; indique un archivo de texto UTF-8."},
    "text_utf16": {"en": "{path} is {encoding} text, not UTF-8; convert it first, e.g. with: {command}",
                   "es": "{path} es texto {encoding}, no UTF-8; conviértalo antes, p. ej. con: {command}"},
    "text_not_utf8": {"en": "{path} is not valid UTF-8 (bad byte at offset {offset}); convert it to UTF-8 first, e.g. with iconv.",
                      "es": "{path} no es UTF-8 válido (byte erróneo en la posición {offset}); conviértalo antes a UTF-8, p. ej. con iconv."},
    "text_too_short": {
        "en": ("The text has {chars} characters, too few for {batch} batch rows of one {window}-step window "
               "plus validation (about {need} needed); use a longer text or smaller --batch/--window."),
        "es": ("El texto tiene {chars} caracteres, muy pocos para {batch} filas de una ventana de {window} pasos "
               "más la validación (hacen falta unos {need}); use un texto más largo o --batch/--window menores."),
    },
    "text_eval_too_short": {"en": "{path} has fewer than two characters; there is nothing to predict.",
                            "es": "{path} tiene menos de dos caracteres; no hay nada que predecir."},
    "text_unknown_chars": {
        "en": "{what} has {count} character(s) the model never saw: {chars}; use only characters of its training text.",
        "es": "{what} tiene {count} carácter(es) que el modelo no vio nunca: {chars}; use solo caracteres de su texto de entrenamiento.",
    },
    "text_changed": {
        "en": "The text {path} is not the one run {run} was trained on; give the original file to resume.",
        "es": "El texto {path} no es aquel con el que se entrenó la corrida {run}; indique el archivo original para continuar.",
    },
    "text_need_file": {"en": "Give the text file to train on: rnr text train FILE.",
                       "es": "Indique el archivo de texto para entrenar: rnr text train ARCHIVO."},
    "text_bad_temperature": {"en": "--temperature must be positive, got {value}; use --greedy for the most likely text.",
                             "es": "--temperature debe ser positiva, se recibió {value}; use --greedy para el texto más probable."},
    # progress and results
    "text_compiling": {"en": "Compiling the training and evaluation loops...",
                       "es": "Compilando los ciclos de entrenamiento y evaluación..."},
    "text_compiled": {"en": "Compiled in {seconds:.1f} s; {vocab} characters in the vocabulary, "
                            "{windows} windows of {window} x {batch} per epoch.",
                      "es": "Compilado en {seconds:.1f} s; {vocab} caracteres en el vocabulario, "
                            "{windows} ventanas de {window} x {batch} por época."},
    "text_val": {"en": "step {step}: validation loss {val_loss:.4f} nats/char ({val_bits:.4f} bits/char)",
                 "es": "paso {step}: pérdida de validación {val_loss:.4f} nats/carácter ({val_bits:.4f} bits/carácter)"},
    "text_sample_head": {"en": "sample:", "es": "muestra:"},
    "text_summary": {
        "en": ("Done after {steps} windows ({epochs:.2f} epochs): validation {val_loss:.4f} nats/char "
               "({val_bits:.4f} bits/char), best {best_val_loss:.4f} at window {best_step}; compile "
               "{compile_seconds:.1f} s, training {train_seconds:.1f} s, {tokens_per_second:,.0f} chars/s."),
        "es": ("Listo tras {steps} ventanas ({epochs:.2f} épocas): validación {val_loss:.4f} nats/carácter "
               "({val_bits:.4f} bits/carácter), mejor {best_val_loss:.4f} en la ventana {best_step}; "
               "compilación {compile_seconds:.1f} s, entrenamiento {train_seconds:.1f} s, "
               "{tokens_per_second:,.0f} caracteres/s."),
    },
    "text_resume_hint": {"en": "Continue with: rnr text train --resume {path}",
                         "es": "Para continuar: rnr text train --resume {path}"},
    "text_eval_result": {"en": "{path}: {loss:.4f} nats/char, {bits:.4f} bits/char over {chars:,} characters.",
                         "es": "{path}: {loss:.4f} nats/carácter, {bits:.4f} bits/carácter en {chars:,} caracteres."},
    "text_eval_skipped": {
        "en": "{path}: left out {skipped:,} character(s) the model never saw ({kinds} different: {chars}); scored the rest.",
        "es": "{path}: se omitieron {skipped:,} carácter(es) que el modelo no vio nunca ({kinds} distintos: {chars}); se puntuó el resto.",
    },
    "text_eval_nothing_known": {
        "en": ("{path} has fewer than two characters the model knows once the {skipped:,} it never saw ({chars}) "
               "are left out; there is nothing to predict."),
        "es": ("{path} tiene menos de dos caracteres que el modelo conozca una vez omitidos los {skipped:,} que no "
               "vio nunca ({chars}); no hay nada que predecir."),
    },
    "text_eval_run_own": {"en": "the run's own", "es": "el de la corrida"},
    # export
    "export_need_target": {"en": "Say what to export to: rnr export RUN --torch OUT.safetensors.",
                           "es": "Indique a qué exportar: rnr export CORRIDA --torch SALIDA.safetensors."},
    "export_cell": {"en": "PyTorch has no layer for the '{cell}' cell; only rnn, lstm, gru, mingru, minlstm and lru runs can be exported.",
                    "es": "PyTorch no tiene una capa para la celda '{cell}'; solo se exportan corridas rnn, lstm, gru, mingru, minlstm y lru."},
    "export_ensemble": {"en": "{path} holds an ensemble of {members} networks, which one PyTorch module cannot hold; train with --ensemble 1 to export.",
                        "es": "{path} contiene un conjunto de {members} redes, que un solo módulo de PyTorch no puede contener; entrene con --ensemble 1 para exportar."},
    "export_exists": {"en": "{path} already exists; choose another output file or delete it first.",
                      "es": "{path} ya existe; elija otro archivo de salida o bórrelo antes."},
    "export_not_writable": {"en": "Cannot write {path}: {reason}; choose another output file.",
                            "es": "No se puede escribir {path}: {reason}; elija otro archivo de salida."},
    "export_done": {"en": "Wrote {count} tensors to {path} (load with torch, see docs/text.md, series runs docs/series.md; mingru, minlstm, lru: docs/parallel.md).",
                    "es": "Se escribieron {count} tensores en {path} (cárguelos con torch, vea docs/text.md, las de series docs/series.md; mingru, minlstm, lru: docs/parallel.md)."},
}
