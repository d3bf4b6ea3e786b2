"""Help of the settings several commands share (``rnr.settings.flags``), each once."""

MESSAGES = {
    "flag_cell": {"en": "recurrent cell: {choices} (default {default})",
                  "es": "celda recurrente: {choices} (por omisión {default})"},
    "flag_layers": {"en": "stacked layers (default {default})", "es": "capas apiladas (por omisión {default})"},
    "flag_hidden": {"en": "units per layer, the state size (default {default})",
                    "es": "unidades por capa, el tamaño del estado (por omisión {default})"},
    "flag_dropout": {"en": "dropout between stacked layers (default {default})",
                     "es": "dropout entre capas apiladas (por omisión {default})"},
    "flag_batch": {"en": "sequences (batch rows) per step (default {default})",
                   "es": "secuencias (filas del lote) por paso (por omisión {default})"},
    "flag_window": {"en": "truncated-BPTT window, in steps (characters for text) (default {default})",
                    "es": "ventana de retropropagación truncada, en pasos (caracteres en texto) (por omisión {default})"},
    "flag_series_length": {"en": "steps of each epoch's random series (default {default})",
                           "es": "pasos de la serie aleatoria de cada época (por omisión {default})"},
    "flag_optimizer": {"en": "optimizer: {choices} (default {default})",
                       "es": "optimizador: {choices} (por omisión {default})"},
    "flag_lr": {"en": "learning rate (default {default})", "es": "tasa de aprendizaje (por omisión {default})"},
    "flag_clip": {"en": "clip the gradient's global norm to this; 0: off (default {default})",
                  "es": "recorta la norma global del gradiente a este valor; 0: sin recorte (por omisión {default})"},
    "flag_init": {"en": "weights: tutorial (uniform in [0, 1), zero biases) or torch (uniform in +-1/sqrt(units)) "
                        "(default {default})",
                  "es": "pesos: tutorial (uniformes en [0, 1), sesgos cero) o torch (uniformes en +-1/sqrt(unidades)) "
                        "(por omisión {default})"},
    "flag_forget_bias": {"en": "added to the LSTM's forget-gate bias (default {default})",
                         "es": "se suma al sesgo de la compuerta de olvido de la LSTM (por omisión {default})"},
    "flag_epochs": {"en": "passes over the data (echo: each on a fresh series); 0: no limit (default {default})",
                    "es": "pasadas por los datos (eco: cada una con una serie nueva); 0: sin límite (por omisión {default})"},
    "flag_steps": {"en": "optimizer steps in all, resumes included; 0: no limit (default {default})",
                   "es": "pasos del optimizador en total, reanudaciones incluidas; 0: sin límite (por omisión {default})"},
    "flag_time_budget": {"en": "minutes of training; 0: no limit (default {default})",
                         "es": "minutos de entrenamiento; 0: sin límite (por omisión {default})"},
    "flag_chunk": {"en": "windows (steps) per compiled call; 0: a whole epoch (default {default})",
                   "es": "ventanas (pasos) por llamada compilada; 0: una época entera (por omisión {default})"},
    "flag_eval_every": {"en": "between validations and checkpoints: windows (text), epochs (series) "
                              "(default {default})",
                        "es": "entre validaciones y puntos de control: ventanas (texto), épocas (series) "
                              "(por omisión {default})"},
    "flag_val_fraction": {"en": "part of the training data held out for validation (default {default})",
                          "es": "parte de los datos de entrenamiento reservada para validación (por omisión {default})"},
    "flag_seed": {"en": "random seed (default {default})", "es": "semilla aleatoria (por omisión {default})"},
    "flag_chars": {"en": "characters written or shown (default {default})",
                   "es": "caracteres escritos o mostrados (por omisión {default})"},
    "flag_devices": {"en": "devices to split the batch rows over; 0: as many as divide the batch (default {default})",
                     "es": "dispositivos entre los que repartir las filas del lote; 0: tantos como dividan el lote "
                           "(por omisión {default})"},
}
