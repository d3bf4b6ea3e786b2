"""Messages of `rnr sweep`: key -> {"en": ..., "es": ...}."""

MESSAGES = {
    "sweep_unknown_task": {"en": "Unknown task '{name}'; choose one of: {choices}.",
                           "es": "Tarea desconocida '{name}'; elija una de: {choices}."},
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
        "en": "Every window must be between 1 and a batch row ({row} steps = --series-length // --batch), got {value}.",
        "es": "Cada ventana debe estar entre 1 y una fila del lote ({row} pasos = --series-length // --batch), "
              "se recibió {value}."},
    "sweep_bad_delay": {
        "en": "Every delay must be between 0 and {row} (shorter than a batch row), got {value}.",
        "es": "Cada retardo debe estar entre 0 y {row} (menor que una fila del lote), se recibió {value}."},
    # progress and results
    "sweep_plan": {"count": "runs",
                   "en": {"one": "{task}: 1 compiled group, 1 run ({what}).",
                          "other": "{task}: {groups} compiled groups, {runs} runs ({what})."},
                   "es": {"one": "{task}: 1 grupo compilado, 1 corrida ({what}).",
                          "other": "{task}: {groups} grupos compilados, {runs} corridas ({what})."}},
    "sweep_group_done": {
        "en": "{cell:>14} {setting:<18} {metric} mean {mean:.4g} (baseline {baseline:.4g}), solved {solved}/{runs}, "
              "compile {compile:.1f} s, train {train:.1f} s",
        "es": "{cell:>14} {setting:<18} {metric} media {mean:.4g} (referencia {baseline:.4g}), resueltas "
              "{solved}/{runs}, compilación {compile:.1f} s, entrenamiento {train:.1f} s"},
    "sweep_group_diverged": {
        "en": "{diverged} of {runs} runs diverged (their loss became non-finite); they are counted apart, not in "
              "the mean.",
        "es": "{diverged} de {runs} corridas divergieron (su pérdida dejó de ser finita); se cuentan aparte, no "
              "en la media."},
    "sweep_all_diverged": {
        "en": "Every run of the sweep diverged (all {runs}); the results in {path} say so. Try a smaller --lr or "
              "a --clip.",
        "es": "Todas las corridas del barrido divergieron (las {runs}); los resultados en {path} lo indican. "
              "Pruebe un --lr menor o un --clip."},
    "sweep_done": {"count": "runs",
                   "en": {"one": "Done: 1 run in {seconds:.1f} s (compile {compile:.1f} s, train {train:.1f} s).",
                          "other": "Done: {runs} runs in {seconds:.1f} s (compile {compile:.1f} s, train {train:.1f} s)."},
                   "es": {"one": "Listo: 1 corrida en {seconds:.1f} s (compilación {compile:.1f} s, "
                                 "entrenamiento {train:.1f} s).",
                          "other": "Listo: {runs} corridas en {seconds:.1f} s (compilación {compile:.1f} s, "
                                   "entrenamiento {train:.1f} s)."}},
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
    # --help
    'help_sweep': {"en": 'train a grid of cells x gaps x seeds', "es": 'entrena una grilla de celdas x separaciones x semillas'},
    'help_sweep_long': {"en": "Measure the long-term dependency problem: train every cell on a task (copy, adding or echo) at every gap, several seeds each. Runs that share shapes train together as one compiled program. Unset options take the task's defaults.", "es": 'Mide el problema de las dependencias de largo plazo: entrena cada celda en una tarea (copy, adding o echo) con cada separación, varias semillas cada una. Las corridas con las mismas formas se entrenan juntas en un solo programa compilado. Las opciones no dadas toman los valores de la tarea.'},
    'help_sweep_task': {"en": '{choices} ({default})', "es": '{choices} ({default})'},
    'help_sweep_cells': {"en": 'comma-separated, of: {choices} ({default})', "es": 'separadas por comas, entre: {choices} ({default})'},
    'help_sweep_lengths': {"en": 'copy, adding: the gaps T, e.g. 10,50,100,200', "es": 'copy, adding: las separaciones T, p. ej. 10,50,100,200'},
    'help_sweep_windows': {"en": 'echo: truncation windows, e.g. 4,8,16 (15)', "es": 'echo: ventanas de truncado, p. ej. 4,8,16 (15)'},
    'help_sweep_delays': {"en": 'echo: delays, e.g. 1,2,4,8,16 (3)', "es": 'echo: retardos, p. ej. 1,2,4,8,16 (3)'},
    'help_sweep_seeds': {"en": 'seeds per setting, numbered 0..N-1 (4)', "es": 'semillas por ajuste, numeradas 0..N-1 (4)'},
    'help_sweep_eval_batch': {"en": 'copy, adding: fresh sequences scored at the end (1000)', "es": 'copy, adding: secuencias nuevas evaluadas al final (1000)'},
    'help_sweep_out': {"en": 'run directory (default: runs/sweep-<task>-<time>)', "es": 'directorio de la corrida (por omisión: runs/sweep-<tarea>-<hora>)'},
    'help_sweep_plot': {"en": 'end: draw sweep.png when the sweep ends (default); none: no figure',
                        "es": 'end: dibuja sweep.png al terminar (por omisión); none: sin figura'},
    "sweep_setting_echo": {"en": "window={window},delay={delay}", "es": "ventana={window},retardo={delay}"},
    # the final metric's name in a sweep's log lines
    "metric_accuracy": {"en": "accuracy", "es": "exactitud"},
    "metric_mse": {"en": "mse", "es": "ecm"},
    "metric_cross_entropy": {"en": "cross_entropy", "es": "entropía_cruzada"},
    'help_sweep_quiet': {"en": 'print only the summary', "es": 'mostrar solo el resumen'},
}
