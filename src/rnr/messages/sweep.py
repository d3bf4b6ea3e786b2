"""Messages of `rnr sweep`: key -> {"en": ..., "es": ...}."""

MESSAGES = {
    "sweep_unknown_task": {"en": "Unknown task '{name}'; choose one of: {choices}.",
                           "es": "Tarea desconocida '{name}'; elija una de: {choices}."},
    "sweep_bad_list": {
        "en": "--{name} takes whole numbers separated by commas (like 10,50,100), got '{value}'.",
        "es": "--{name} recibe enteros separados por comas (como 10,50,100), se recibió '{value}'."},
    "sweep_empty": {"en": "--{name} needs at least one value.",
                    "es": "--{name} necesita al menos un valor."},
    "sweep_repeated": {"en": "--{name} lists {value} twice; give each value once.",
                       "es": "--{name} repite {value}; dé cada valor una sola vez."},
    "sweep_wrong_axis": {"en": "The {task} task does not use {given}; sweep it with {use}.",
                         "es": "La tarea {task} no usa {given}; recórrala con {use}."},
    "sweep_bad_length": {
        "en": "Every length for the {task} task must be a whole number of at least {smallest}, got {value}.",
        "es": "Cada longitud de la tarea {task} debe ser un entero de al menos {smallest}, se recibió {value}."},
    "sweep_bad_window": {
        "en": "Every window must be between 1 and a batch row ({row} steps = --series // --batch), got {value}.",
        "es": "Cada ventana debe estar entre 1 y una fila del lote ({row} pasos = --series // --batch), "
              "se recibió {value}."},
    "sweep_bad_delay": {
        "en": "Every delay must be between 0 and {row} (shorter than a batch row), got {value}.",
        "es": "Cada retardo debe estar entre 0 y {row} (menor que una fila del lote), se recibió {value}."},
    # progress and results
    "sweep_plan": {"en": "{task}: {groups} compiled groups, {runs} runs ({what}).",
                   "es": "{task}: {groups} grupos compilados, {runs} corridas ({what})."},
    "sweep_group_done": {
        "en": "{cell:>14} {setting:<18} {metric} mean {mean:.4g} (baseline {baseline:.4g}), solved {solved}/{runs}, "
              "compile {compile:.1f} s, train {train:.1f} s",
        "es": "{cell:>14} {setting:<18} {metric} media {mean:.4g} (referencia {baseline:.4g}), resueltas "
              "{solved}/{runs}, compilación {compile:.1f} s, entrenamiento {train:.1f} s"},
    "sweep_done": {"en": "Done: {runs} runs in {seconds:.1f} s (compile {compile:.1f} s, train {train:.1f} s).",
                   "es": "Listo: {runs} corridas en {seconds:.1f} s (compilación {compile:.1f} s, "
                         "entrenamiento {train:.1f} s)."},
    "sweep_bar": {"en": "steps", "es": "pasos"},
    "sweep_bar_epochs": {"en": "epochs", "es": "épocas"},
    # figure
    "sweep_fig_gap": {"en": "gap T (steps)", "es": "separación T (pasos)"},
    "sweep_fig_delay": {"en": "delay (steps)", "es": "retardo (pasos)"},
    "sweep_fig_window": {"en": "truncation window {window}", "es": "ventana de truncado {window}"},
    "sweep_fig_accuracy": {"en": "accuracy on a fresh series", "es": "exactitud en una serie nueva"},
    "sweep_fig_chance": {"en": "chance", "es": "azar"},
    "sweep_fig_baseline": {"en": "memoryless baseline", "es": "referencia sin memoria"},
    "sweep_fig_solved": {"en": "fraction of seeds solved", "es": "fracción de semillas resueltas"},
    "sweep_fig_metric_copy": {"en": "final cross-entropy (nats)", "es": "entropía cruzada final (nats)"},
    "sweep_fig_metric_adding": {"en": "final mean squared error", "es": "error cuadrático medio final"},
    "sweep_fig_title_copy": {"en": "Copy memory: recall 10 symbols after T steps",
                             "es": "Memoria de copia: recordar 10 símbolos tras T pasos"},
    "sweep_fig_title_adding": {"en": "Adding problem: sum two marked values over T steps",
                               "es": "Problema de la suma: sumar dos valores marcados en T pasos"},
}
