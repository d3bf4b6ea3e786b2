"""Messages of the core and of `rnr eco`: key -> {"en": ..., "es": ...}."""

MESSAGES = {
    # progress of `rnr eco`, in the tutorial's rhythm
    "new_data": {"en": "New data, epoch {epoch}", "es": "Datos nuevos, época {epoch}"},
    "step_loss": {"en": "Step {step} Loss {loss:.8g}", "es": "Paso {step} Pérdida {loss:.8g}"},
    "compiling": {"en": "Compiling the training loop...", "es": "Compilando el ciclo de entrenamiento..."},
    "summary": {
        "en": ("Done: final-epoch mean loss {final_loss:.6f}, accuracy {accuracy:.4%} "
               "(all steps but the first {delay} of each row), compile {compile_seconds:.2f} s, "
               "training {train_seconds:.2f} s, {windows_per_second:,.0f} windows/s."),
        "es": ("Listo: pérdida media de la última época {final_loss:.6f}, exactitud {accuracy:.4%} "
               "(todos los pasos salvo los {delay} primeros de cada fila), compilación "
               "{compile_seconds:.2f} s, entrenamiento {train_seconds:.2f} s, "
               "{windows_per_second:,.0f} ventanas/s."),
    },
    "saved_to": {"en": "Results in {path}", "es": "Resultados en {path}"},
    "live_unavailable": {
        "en": "No display for a live plot; saving the figures instead (--plot save).",
        "es": "No hay pantalla para el gráfico en vivo; se guardan las figuras (--plot save).",
    },
    # figures
    "fig_loss": {"en": "Loss per window", "es": "Pérdida por ventana"},
    "fig_window": {"en": "Window step", "es": "Paso de la ventana"},
    "fig_row": {"en": "Row {row}: input, target, prediction",
                "es": "Fila {row}: entrada, objetivo, predicción"},
    "fig_input": {"en": "input", "es": "entrada"},
    "fig_target": {"en": "target", "es": "objetivo"},
    "fig_prediction": {"en": "prediction", "es": "predicción"},
    "fig_loss_run": {"en": "Training loss, whole run", "es": "Pérdida de entrenamiento, toda la corrida"},
    "fig_epoch_mean": {"en": "epoch mean", "es": "media por época"},
    "fig_windows": {"en": "training window", "es": "ventana de entrenamiento"},
    "fig_title": {"en": "Echo RNN ({cell}), epoch {epoch}, window {window}",
                  "es": "RNR eco ({cell}), época {epoch}, ventana {window}"},
    # errors: one sentence each, saying what is wrong and how to fix it
    "error_prefix": {"en": "error: ", "es": "error: "},
    "unknown_cell": {"en": "Unknown cell '{name}'; choose one of: {choices}.",
                     "es": "Celda desconocida '{name}'; elija una de: {choices}."},
    "unknown_optimizer": {"en": "Unknown optimizer '{name}'; choose one of: {choices}.",
                          "es": "Optimizador desconocido '{name}'; elija uno de: {choices}."},
    "bad_lr": {"en": "The learning rate must be a positive number, got {lr}; try --lr 0.3.",
               "es": "La tasa de aprendizaje debe ser un número positivo, se recibió {lr}; pruebe --lr 0.3."},
    "bad_clip": {"en": "The clipping norm must be positive, got {clip}; --clip 0 trains without clipping.",
                 "es": "La norma de recorte debe ser positiva, se recibió {clip}; --clip 0 entrena sin recorte."},
    "not_positive": {"en": "--{name} must be a positive whole number, got {value}.",
                     "es": "--{name} debe ser un entero positivo, se recibió {value}."},
    "negative": {"en": "--{name} must be zero or more, got {value}.",
                 "es": "--{name} debe ser cero o mayor, se recibió {value}."},
    "window_too_long": {
        "en": ("The window ({window} steps) is longer than a batch row ({row} steps = {length} // {batch}); "
               "use a shorter --window, a longer --series-length or fewer --batch rows."),
        "es": ("La ventana ({window} pasos) es más larga que una fila del lote ({row} pasos = {length} // {batch}); "
               "use una --window más corta, una --series-length mayor o menos filas --batch."),
    },
    "delay_too_long": {
        "en": "The delay ({delay}) must be shorter than a batch row ({row} steps); use a smaller --delay.",
        "es": "El retardo ({delay}) debe ser menor que una fila del lote ({row} pasos); use un --delay menor.",
    },
    "out_not_writable": {
        "en": "Cannot write the run directory {path} ({reason}); choose another --out.",
        "es": "No se puede escribir el directorio de la corrida {path} ({reason}); elija otro --out.",
    },
    "out_not_empty": {
        "en": "The run directory {path} already holds a run; choose a new --out or delete it first.",
        "es": "El directorio {path} ya contiene una corrida; elija otro --out o bórrelo antes.",
    },
    "too_big": {
        "en": "The arrays for {what} would need about {need}, more than the {have} this machine has free; choose a smaller value.",
        "es": "Los arreglos de {what} necesitarían unos {need}, más que los {have} libres en esta máquina; elija un valor menor.",
    },
    "diverged": {
        "en": ("Training diverged (the loss became {loss} at window {step}); the last good checkpoint "
               "is kept in {path}. Try a smaller --lr or --clip."),
        "es": ("El entrenamiento divergió (la pérdida fue {loss} en la ventana {step}); el último punto "
               "de control bueno queda en {path}. Pruebe un --lr menor o --clip."),
    },
    "diverged_validation": {
        "en": ("Training diverged (the validation loss became {loss} after window {step}); the last good checkpoint "
               "is kept in {path}. Try a smaller --lr or --clip."),
        "es": ("El entrenamiento divergió (la pérdida de validación fue {loss} tras la ventana {step}); el último "
               "punto de control bueno queda en {path}. Pruebe un --lr menor o --clip."),
    },
    "diverged_validation_in_memory": {
        "en": "Training diverged (the validation loss became {loss} after window {step}); try a smaller lr or clip.",
        "es": "El entrenamiento divergió (la pérdida de validación fue {loss} tras la ventana {step}); pruebe un lr o un clip menor.",
    },
    "one_of_three": {"en": "{a}, {b} or {c}", "es": "{a}, {b} o {c}"},
    "no_limit": {"en": "Say when to stop: give {flags} above 0.",
                 "es": "Indique cuándo parar: dé {flags} mayor que 0."},
    "diverged_in_memory": {
        "en": "Training diverged (the loss became {loss} at window {step}); try a smaller lr or clip.",
        "es": "El entrenamiento divergió (la pérdida fue {loss} en la ventana {step}); pruebe un lr o un clip menor.",
    },
    "checkpoint_missing": {"en": "No checkpoint at {path}; check the run directory's path.",
                           "es": "No hay punto de control en {path}; revise la ruta del directorio de la corrida."},
    "checkpoint_corrupt": {
        "en": "The checkpoint {path} is damaged or belongs to another model; use another run or retrain.",
        "es": "El punto de control {path} está dañado o es de otro modelo; use otra corrida o vuelva a entrenar.",
    },
    "not_a_run": {"en": "{path} is not an rnr run directory (no readable config.json); give the folder a training command wrote.",
                  "es": "{path} no es un directorio de corrida de rnr (no hay config.json legible); indique la carpeta que escribió un entrenamiento."},
    "wrong_task": {"en": "{path} holds a run of another task; this command needs a '{expected}' run.",
                   "es": "{path} contiene una corrida de otra tarea; esta orden necesita una corrida de '{expected}'."},
    "interrupted": {"en": "Interrupted; what was trained so far is saved in {path}.",
                    "es": "Interrumpido; lo entrenado hasta ahora está guardado en {path}."},
    # command-line help
    "help_rnr": {"en": "Recurrent neural networks (RNN, LSTM, GRU) trained with compiled stateful "
                       "truncated backpropagation through time.",
                 "es": "Redes neuronales recurrentes (RNR, LSTM, GRU) entrenadas con retropropagación "
                       "truncada en el tiempo, con estado y compilada."},
    "help_lang": {"en": "language of messages and figures: en or es (default: from the locale)",
                  "es": "idioma de mensajes y figuras: en o es (por omisión: el del sistema)"},
    "help_eco": {"en": "train the tutorial's echo RNN", "es": "entrena la RNR de eco del tutorial"},
    "help_eco_long": {"en": "Train the tutorial's echo RNN: the target is the input delayed by --delay "
                            "steps. Every default is the tutorial's setting.",
                      "es": "Entrena la RNR de eco del tutorial: el objetivo es la entrada retrasada "
                            "--delay pasos. Cada valor por omisión es el del tutorial."},
    "help_eco_classes": {"en": "output classes ({default})", "es": "clases de salida ({default})"},
    "help_eco_delay": {"en": "echo delay, in steps ({default})", "es": "retardo del eco, en pasos ({default})"},
    "help_eco_out": {"en": "run directory (default: runs/eco-<time>)",
                     "es": "directorio de la corrida (por omisión: runs/eco-<hora>)"},
    "help_eco_plot": {"en": "end: save the figures when training ends (default); none: no figures; "
                            "save: also rewrite training.png as training goes (every 100 windows, at most "
                            "once a second); live: show the figure on screen, updated every 100 windows",
                      "es": "end: guarda las figuras al terminar (por omisión); none: sin figuras; save: "
                            "además reescribe training.png durante el entrenamiento (cada 100 ventanas, "
                            "como mucho una vez por segundo); live: muestra la figura en pantalla, "
                            "actualizada cada 100 ventanas"},
    "help_eco_quiet": {"en": "print only the summary", "es": "muestra solo el resumen"},
    "help_eco_verbose": {"en": "print the tutorial's lines (\"New data\", \"Step ... Loss\") for every epoch, "
                               "not only the first three and the last",
                         "es": "muestra las líneas del tutorial (\"Datos nuevos\", \"Paso ... Pérdida\") en cada época, "
                               "no solo en las tres primeras y la última"},
}
