"""Messages of `rnr view`: figures of echo runs and the text neuron page."""

MESSAGES = {
    # names of traced quantities
    "view_q_forget": {"en": "forget gate f", "es": "compuerta de olvido f"},
    "view_q_input": {"en": "input gate i", "es": "compuerta de entrada i"},
    "view_q_output": {"en": "output gate o", "es": "compuerta de salida o"},
    "view_q_candidate": {"en": "candidate", "es": "candidato"},
    "view_q_cell": {"en": "cell state c", "es": "estado de la celda c"},
    "view_q_hidden": {"en": "hidden state h", "es": "estado oculto h"},
    "view_q_reset": {"en": "reset gate r", "es": "compuerta de reinicio r"},
    "view_q_update": {"en": "update gate z", "es": "compuerta de actualización z"},
    # the gates figure
    "view_gates_title": {"en": "Inside the echo {cell} (layer {layer}, row {row}, steps {start}-{end}): "
                               "every gate and state at every step",
                         "es": "Dentro de la {cell} de eco (capa {layer}, fila {row}, pasos {start}-{end}): "
                               "cada compuerta y estado en cada paso"},
    "view_io": {"en": "input, target, prediction", "es": "entrada, objetivo, predicción"},
    "view_input": {"en": "input", "es": "entrada"},
    "view_target": {"en": "target", "es": "objetivo"},
    "view_prediction": {"en": "prediction", "es": "predicción"},
    "view_step": {"en": "time step", "es": "paso de tiempo"},
    "view_unit": {"en": "unit", "es": "unidad"},
    "view_wrong": {"en": "red frame: wrong prediction", "es": "marco rojo: predicción errónea"},
    # the LSTM cell-state figure
    "view_cell_title": {
        "en": r"The cell state as a conveyor belt: $C_t = f_t \odot C_{{t-1}}$ (kept) $+\ i_t \odot g_t$ (written)",
        "es": r"El estado de la celda como cinta transportadora: $C_t = f_t \odot C_{{t-1}}$ (lo que se guarda) "
              r"$+\ i_t \odot g_t$ (lo que se escribe)"},
    "view_kept": {"en": r"kept  $f_t C_{{t-1}}$", "es": r"guardado  $f_t C_{{t-1}}$"},
    "view_written": {"en": r"written  $i_t g_t$", "es": r"escrito  $i_t g_t$"},
    "view_cell_now": {"en": r"$C_t$", "es": r"$C_t$"},
    "view_erased": {"en": r"grey background: share erased, $1 - f_t$",
                    "es": r"fondo gris: parte borrada, $1 - f_t$"},
    "view_unit_n": {"en": "unit {unit}", "es": "unidad {unit}"},
    # concept figures
    "view_layout_title": {
        "en": "The series as {batch} batch rows; the numbers are positions in the series.\n"
              "Training reads one window of {window} steps of every row at a time, then slides to the next",
        "es": "La serie en {batch} filas del lote; los números son posiciones en la serie.\n"
              "El entrenamiento lee a la vez una ventana de {window} pasos de cada fila y luego pasa a la siguiente"},
    "view_layout_current": {"en": "window {k}: steps {first}-{last} of each row",
                            "es": "ventana {k}: pasos {first}-{last} de cada fila"},
    "view_layout_next": {"en": "next: window {k}, steps {first}-{last}",
                         "es": "después: ventana {k}, pasos {first}-{last}"},
    "view_layout_row": {"en": "row {row}", "es": "fila {row}"},
    "view_layout_col": {"en": "step within the row (bit 1: dark, bit 0: light)",
                        "es": "paso dentro de la fila (bit 1: oscuro, bit 0: claro)"},
    "view_unrolled_title": {
        "en": "The network unrolled over steps {first}-{last} of row {row} "
              "(training window {k}: steps {window_first}-{window_last});\n"
              "each box is the state $h_t$ of its {hidden} units after reading the bit below it",
        "es": "La red desenrollada sobre los pasos {first}-{last} de la fila {row} "
              "(ventana de entrenamiento {k}: pasos {window_first}-{window_last});\n"
              "cada caja es el estado $h_t$ de sus {hidden} unidades tras leer el bit de debajo"},
    "view_unrolled_title_window": {
        "en": "The network unrolled over window {k} of row {row};\n"
              "each box is the state $h_t$ of its {hidden} units after reading the bit below it",
        "es": "La red desenrollada sobre la ventana {k} de la fila {row};\n"
              "cada caja es el estado $h_t$ de sus {hidden} unidades tras leer el bit de debajo"},
    "view_unroll_step": {"en": "step in the row", "es": "paso en la fila"},
    "view_unroll_input": {"en": "input bit", "es": "bit de entrada"},
    "view_unroll_state": {"en": "state of\neach unit", "es": "estado de\ncada unidad"},
    "view_unroll_p1": {"en": "probability\nof a 1", "es": "probabilidad\nde un 1"},
    "view_unroll_window": {"en": "window {k}", "es": "ventana {k}"},
    "view_unroll_zero": {"en": "state starts\nat zero", "es": "el estado\nempieza en cero"},
    "view_unroll_from": {"en": "from step {step}\n(above)", "es": "del paso {step}\n(arriba)"},
    "view_unroll_to": {"en": "on to step\n{step} (below)", "es": "sigue en el\npaso {step} (abajo)"},
    "view_unroll_beyond": {"en": "on to step\n{step} (not shown)", "es": "sigue en el\npaso {step} (no se ve)"},
    "view_unroll_key_p1": {"en": "green bar: the model's probability of a 1 (number above it)",
                           "es": "barra verde: probabilidad de un 1 según el modelo (número encima)"},
    "view_unroll_key_target": {"en": "red line: the target (top of the frame: 1, bottom: 0)",
                               "es": "línea roja: el objetivo (arriba del marco: 1, abajo: 0)"},
    "view_unroll_key_edge": {"en": "dotted: a window edge, where the gradient stops",
                             "es": "punteado: un borde de ventana, donde se detiene el gradiente"},
    "view_unroll_key_carried": {"en": "blue arrow: the state carried across the edge",
                                "es": "flecha azul: el estado que cruza el borde"},
    "view_carried_in": {"en": "state carried\nfrom window {k}", "es": "estado\ntraído de la\nventana {k}"},
    "view_carried_out": {"en": "state carried\nto window {k}", "es": "estado\nllevado a la\nventana {k}"},
    "view_gradient_cut": {"en": "gradient\nstops here", "es": "el gradiente\nse detiene"},
    "view_state_scale": {"en": "state $h_t$ of a unit", "es": "estado $h_t$ de una unidad"},
    "view_trunc_title": {
        "en": "Accuracy at each step of the training window (window {window}, delay {delay})",
        "es": "Exactitud en cada paso de la ventana de entrenamiento (ventana {window}, retardo {delay})"},
    "view_trunc_measured": {
        "en": "Each step of the training window (window {window}, delay {delay}), on a fresh series\n"
              "shaded steps: accuracy {acc_in:.1f} %, loss {loss_in:.2g} nats; "
              "other steps: {acc_out:.1f} %, {loss_out:.2g} nats",
        "es": "Cada paso de la ventana de entrenamiento (ventana {window}, retardo {delay}), en una serie nueva\n"
              "pasos sombreados: exactitud {acc_in:.1f} %, pérdida {loss_in:.2g} nats; "
              "los demás: {acc_out:.1f} %, {loss_out:.2g} nats"},
    "view_trunc_compare": {
        "en": "Why the training window must be longer than the delay ({delay} steps):\n"
              "accuracy and loss at each step of the window, on a fresh series",
        "es": "Por qué la ventana de entrenamiento debe ser más larga que el retardo ({delay} pasos):\n"
              "exactitud y pérdida en cada paso de la ventana, en una serie nueva"},
    "view_trunc_each": {"en": "window {window}: {acc:.1f} %, {loss:.2g} nats",
                        "es": "ventana {window}: {acc:.1f} %, {loss:.2g} nats"},
    "view_trunc_each_acc": {"en": "window {window}: {acc:.1f} %", "es": "ventana {window}: {acc:.1f} %"},
    "view_trunc_short": {
        "en": "window {window}, not longer than the delay {delay}: no target shares a window with its bit",
        "es": "ventana {window}, no más larga que el retardo {delay}: ningún objetivo comparte ventana con su bit"},
    "view_trunc_long": {
        "en": "window {window}, longer than the delay {delay}: from step {delay} on, the target and its bit share it",
        "es": "ventana {window}, más larga que el retardo {delay}: desde el paso {delay}, el objetivo y su bit la comparten"},
    "view_trunc_chance_loss": {"en": "guessing: {loss:.2f} nats", "es": "adivinando: {loss:.2f} nats"},
    "view_trunc_shade": {
        "en": "steps < {delay}: the target echoes a bit read in the previous window (no gradient links them)",
        "es": "pasos < {delay}: el objetivo repite un bit leído en la ventana anterior (ningún gradiente los une)"},
    "view_trunc_note_run": {"en": "window {window}: this run ({epochs} epochs of {length:,} steps)",
                            "es": "ventana {window}: esta corrida ({epochs} épocas de {length:,} pasos)"},
    "view_trunc_note_trained": {
        "en": "window {window}: trained here with the run's settings, {epochs} epochs of {length:,} steps",
        "es": "ventana {window}: entrenada aquí con los ajustes de la corrida, {epochs} épocas de {length:,} pasos"},
    "view_chance": {"en": "chance", "es": "azar"},
    "view_trunc_label": {"en": "window {window}", "es": "ventana {window}"},
    "view_position": {"en": "step within the window", "es": "paso dentro de la ventana"},
    "view_accuracy": {"en": "accuracy", "es": "exactitud"},
    # rnr view on a series run: which units are shown
    "view_series_units_readout": {
        "en": "shown: the {k} of {n} units with the largest |weight| into the readout (which reads the pooled "
              "state), largest on top",
        "es": "se muestran las {k} de {n} unidades con mayor |peso| hacia la salida (que lee el estado agrupado), "
              "la mayor arriba"},
    "view_series_units_next": {
        "en": "shown: the {k} of {n} units with the largest |weight| into layer {next}, largest on top",
        "es": "se muestran las {k} de {n} unidades con mayor |peso| hacia la capa {next}, la mayor arriba"},
    "view_series_units_all": {"en": "shown: units 0-{last}", "es": "se muestran las unidades 0-{last}"},
    "view_series_backward": {"en": "units {first}-{last}: backward direction",
                             "es": "unidades {first}-{last}: dirección hacia atrás"},
    "view_series_scale": {"en": "colours: 1st to 99th percentile of the values shown",
                          "es": "colores: percentil 1 a 99 de los valores mostrados"},
    # the echo training figure and loss curve (rnr eco), the text loss figure
    "view_fig_nats": {"en": "loss: cross-entropy (nats)", "es": "pérdida: entropía cruzada (nats)"},
    "view_fig_right": {"en": "prediction = 1", "es": "predicción = 1"},
    "view_fig_wrong": {"en": "wrong prediction", "es": "predicción errónea"},
    "view_fig_zero": {"en": "empty square: 0", "es": "cuadro vacío: 0"},
    "view_fig_epoch_start": {"en": "first window of an epoch", "es": "primera ventana de una época"},
    "view_fig_spikes": {
        "en": "Each epoch is a new random series and the state restarts from zero: its first windows' loss jumps",
        "es": "Cada época es una serie aleatoria nueva y el estado vuelve a cero: la pérdida de sus primeras "
              "ventanas salta"},
    # the text run's loss.png
    "view_text_loss_title": {
        "en": "Character model: loss per predicted character (the state restarts from zero at each epoch start)",
        "es": "Modelo de caracteres: pérdida por carácter predicho (el estado vuelve a cero al inicio de cada época)"},
    "view_text_train": {"en": "training, each window", "es": "entrenamiento, cada ventana"},
    "view_text_smooth": {"en": "training, mean of {windows} windows", "es": "entrenamiento, media de {windows} ventanas"},
    "view_text_val": {"en": "validation (held-out text)", "es": "validación (texto reservado)"},
    "view_text_epoch": {"en": "epoch start", "es": "inicio de época"},
    "view_text_windows": {"en": "training window", "es": "ventana de entrenamiento"},
    "view_text_bits": {"en": "bits per character", "es": "bits por carácter"},
    # the sweep figure
    "view_sweep_below": {"en": "solved below this line", "es": "resuelto por debajo de esta línea"},
    "view_sweep_above": {"en": "solved above this line", "es": "resuelto por encima de esta línea"},
    "view_sweep_none_solved": {"en": "markers at 0: no seed solved the task",
                               "es": "marcadores en 0: ninguna semilla resolvió la tarea"},
    "view_sweep_solved_title": {
        "en": "Seeds that solved the task\n(final metric past the dotted threshold on the left)",
        "es": "Semillas que resolvieron la tarea\n(métrica final más allá del umbral punteado de la izquierda)"},
    # the text page
    "view_page_title": {"en": "rnr: what each neuron of {name} does", "es": "rnr: qué hace cada neurona de {name}"},
    "view_page_layer": {"en": "layer", "es": "capa"},
    "view_page_quantity": {"en": "quantity", "es": "magnitud"},
    "view_page_neuron": {"en": "neuron", "es": "neurona"},
    "view_page_rank": {"en": "rank by", "es": "ordenar por"},
    "view_page_help": {
        "en": "Each character is coloured by the chosen neuron's value after reading it: blue negative, "
              "red positive, scaled to the neuron's largest |value| over the passage (gates: white 0, "
              "green 1); the colour bar gives the range. Hover a character to see the model's five most "
              "likely next characters.",
        "es": "Cada carácter se colorea con el valor de la neurona elegida tras leerlo: azul negativo, "
              "rojo positivo, a la escala del mayor |valor| de la neurona en el pasaje (compuertas: "
              "blanco 0, verde 1); la barra de colores da el rango. Pase el cursor sobre un carácter para "
              "ver los cinco siguientes caracteres más probables."},
    "view_page_default_memory": {
        "en": "Shown first: neuron {neuron} of the {quantity} in layer {layer}, the neuron whose value follows "
              "“{feature}” most closely (|correlation| {score:.2f}, the highest of any state neuron). That feature "
              "needs memory: the character just read does not tell it. Neurons are not chosen by variance, "
              "which often picks noise.",
        "es": "Se muestra primero: la neurona {neuron} del {quantity} en la capa {layer}, la neurona cuyo valor "
              "sigue más de cerca «{feature}» (|correlación| {score:.2f}, la mayor de las neuronas de estado). Ese "
              "rasgo requiere memoria: el carácter recién leído no lo indica. Las neuronas no se eligen por "
              "varianza, que a menudo escoge ruido."},
    "view_page_default_any": {
        "en": "Shown first: neuron {neuron} of the {quantity} in layer {layer}, the neuron whose value follows "
              "“{feature}” most closely (|correlation| {score:.2f}). No neuron follows the position in the line or "
              "quotations (|correlation| under 0.2), so this one reacts to the character just read. Neurons "
              "are not chosen by variance, which often picks noise.",
        "es": "Se muestra primero: la neurona {neuron} del {quantity} en la capa {layer}, la neurona cuyo valor "
              "sigue más de cerca «{feature}» (|correlación| {score:.2f}). Ninguna neurona sigue la posición en la "
              "línea ni las citas (|correlación| menor que 0,2), así que esta reacciona al carácter recién "
              "leído. Las neuronas no se eligen por varianza, que a menudo escoge ruido."},
    "view_page_stored": {
        "en": "{n} of {hidden} neurons of this quantity are stored in the page: the top {k} of every ranking "
              "(8 bits per value; the page stays under about 1 MB, a shorter passage stores more).",
        "es": "La página guarda {n} de las {hidden} neuronas de esta magnitud: las {k} primeras de cada "
              "orden (8 bits por valor; la página se mantiene por debajo de 1 MB, un pasaje más corto guarda más)."},
    "view_page_stored_all": {"en": "All {hidden} neurons of this quantity are stored in the page (8 bits per value).",
                             "es": "La página guarda las {hidden} neuronas de esta magnitud (8 bits por valor)."},
    "view_page_colour": {"en": "neuron {neuron}, {quantity}, layer {layer}:",
                         "es": "neurona {neuron}, {quantity}, capa {layer}:"},
    "view_page_score": {"en": "score after each neuron:", "es": "puntuación tras cada neurona:"},
    "view_score_variance": {"en": "variance ÷ the largest variance", "es": "varianza ÷ la mayor varianza"},
    "view_score_corr": {"en": "|correlation| with “{feature}”", "es": "|correlación| con «{feature}»"},
    "view_page_next": {"en": "next character after", "es": "siguiente carácter tras"},
    "view_rank_variance": {"en": "variance", "es": "varianza"},
    "view_rank_quote": {"en": "inside quotes", "es": "dentro de comillas"},
    "view_rank_line": {"en": "position in line", "es": "posición en la línea"},
    "view_rank_space": {"en": "spaces", "es": "espacios"},
    "view_rank_vowel": {"en": "vowels", "es": "vocales"},
    # command and its --help
    "view_help": {"en": "draw what a trained run does inside", "es": "dibujar lo que hace por dentro una corrida entrenada"},
    "view_help_long": {
        "en": ("Draw a trained run from the inside. Echo run: heatmaps of every gate and state, the LSTM cell "
               "state, the batch layout, the unrolled network and the accuracy within the window, as PNG "
               "files. Text run: an HTML page colouring text by a chosen neuron. Files go into the run directory."),
        "es": ("Dibuja una corrida entrenada por dentro. Corrida de eco: mapas de calor de cada compuerta y "
               "estado, el estado de la celda LSTM, la disposición del lote, la red desenrollada y la exactitud "
               "dentro de la ventana, como archivos PNG. Corrida de texto: una página HTML que colorea el texto "
               "según una neurona elegida. Los archivos se guardan en el directorio de la corrida.")},
    "view_help_run": {"en": "a run directory written by rnr eco or rnr text train",
                      "es": "un directorio de corrida escrito por rnr eco o rnr text train"},
    "view_help_steps": {"en": "echo: steps shown in the gate figures (30)",
                        "es": "eco: pasos que muestran las figuras de compuertas (30)"},
    "view_help_row": {"en": "echo: batch row shown (0)", "es": "eco: fila del lote que se muestra (0)"},
    "view_help_layer": {"en": "echo: layer shown (0)", "es": "eco: capa que se muestra (0)"},
    "view_help_text": {"en": "text: UTF-8 file to read the passage from (default: the run's training text)",
                       "es": "texto: archivo UTF-8 del que se lee el pasaje (por omisión: el texto de entrenamiento)"},
    "view_help_start": {"en": "text: first character of the passage (default: where the held-out validation "
                              "part of the run's text begins, else 0)",
                        "es": "texto: primer carácter del pasaje (por omisión: donde empieza la parte de "
                              "validación reservada del texto de la corrida; si no, 0)"},
    "view_wrote": {"en": "Wrote {path}", "es": "Escrito {path}"},
    "view_unknown_task": {
        "en": "`rnr view` cannot show a '{task}' run yet; it shows echo and text runs.",
        "es": "`rnr view` todavía no puede mostrar una corrida de '{task}'; muestra corridas de eco y de texto."},
    "view_bad_layer": {"en": "--layer must be between 0 and {last}, got {value}.",
                       "es": "--layer debe estar entre 0 y {last}, se recibió {value}."},
    "view_bad_steps": {"en": "--time-steps must be between 2 and {most}, got {value}.",
                       "es": "--time-steps debe estar entre 2 y {most}, se recibió {value}."},
    "view_bad_row": {"en": "--row must be between 0 and {last}, got {value}.",
                     "es": "--row debe estar entre 0 y {last}, se recibió {value}."},
    "view_no_text": {"en": "Cannot read the text file {path}; give an existing UTF-8 file with --text.",
                     "es": "No se puede leer el archivo de texto {path}; indique un archivo UTF-8 existente con --text."},
    "view_need_text": {"en": "This run's config.json names no text file; give the passage's file with --text FILE.",
                       "es": "El config.json de esta corrida no indica ningún archivo de texto; indique el del pasaje con --text ARCHIVO."},
    "view_text_short": {"en": "The passage needs at least 2 characters the model knows; got {n}.",
                        "es": "El pasaje necesita al menos 2 caracteres que el modelo conozca; hay {n}."},
}
