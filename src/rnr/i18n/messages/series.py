"""Messages of `rnr series`: key -> {"en": ..., "es": ...}."""

MESSAGES = {
    # ------------------------------------------------------------ help
    "series_help": {"en": "classify or forecast your own numeric sequences (.ts, CSV, NPZ)",
                    "es": "clasificar o pronosticar sus propias secuencias numéricas (.ts, CSV, NPZ)"},
    "series_help_long": {
        "en": ("Train a recurrent network on numeric sequences: classification of whole sequences "
               "(UCR/UEA .ts files, CSV/TSV with the label first, NPZ with X and y) or forecasting "
               "of a table's column (CSV with a header, --target). Then predict, forecast or evaluate."),
        "es": ("Entrena una red recurrente con secuencias numéricas: clasificación de secuencias enteras "
               "(archivos .ts de UCR/UEA, CSV/TSV con la etiqueta primero, NPZ con X e y) o pronóstico "
               "de una columna de una tabla (CSV con cabecera, --target). Luego prediga, pronostique o evalúe."),
    },
    "series_help_train": {"en": "train a classifier or a forecaster", "es": "entrenar un clasificador o un pronosticador"},
    "series_help_file": {"en": "training data: .ts, .csv, .tsv, .npz or .tsf",
                         "es": "datos de entrenamiento: .ts, .csv, .tsv, .npz o .tsf"},
    "series_help_test": {"en": "test data (same format); without it a validation part of the training file is held out",
                         "es": "datos de prueba (mismo formato); sin ellos se aparta una parte de validación del archivo de entrenamiento"},
    "series_help_resume": {"en": "continue the run in this folder", "es": "continuar la corrida de esta carpeta"},
    "series_help_out": {"en": "run folder (default runs/series-<date>-<time>)",
                        "es": "carpeta de la corrida (por defecto runs/series-<fecha>-<hora>)"},
    "series_help_plot": {"en": "figures at the end (end) or none (none)", "es": "figuras al final (end) o ninguna (none)"},
    "series_help_quiet": {"en": "print only the result", "es": "mostrar solo el resultado"},
    "series_help_bidirectional": {"en": "read each sequence in both directions (default {default})",
                                  "es": "leer cada secuencia en ambos sentidos (por defecto {default})"},
    "series_help_pool": {"en": "{{{choices}}}: one vector per sequence, the state at the last valid step, or the "
                               "mean or the largest value of each unit over the steps (default {default})",
                         "es": "{{{choices}}}: un vector por secuencia, el estado del último paso válido, o la media "
                               "o el mayor valor de cada unidad en los pasos (por defecto {default})"},
    "series_help_conv": {"en": "beside the cells, a convolutional branch of three layers with N, 2N and N filters (kernels 8, 5, 3), averaged over each sequence, as LSTM-FCN; 0: the cells alone; not with --multi-step iterated (default: 64 for classification, 0 for forecasting)",
                         "es": "junto a las celdas, una rama convolucional de tres capas con N, 2N y N filtros (núcleos 8, 5, 3), promediada sobre cada secuencia, como LSTM-FCN; 0: solo las celdas; no con --multi-step iterated (por omisión: 64 para clasificar, 0 para pronosticar)"},
    "series_conv_iterated": {"en": "--conv is not available with --multi-step iterated: the convolutional branch summarises a whole window, and an iterated forecast needs an output at every step.",
                             "es": "--conv no está disponible con --multi-step iterated: la rama convolucional resume una ventana entera, y un pronóstico iterado necesita una salida en cada paso."},
    "series_conv_one": {"en": "--conv 1 gives a branch that reads nothing: a normalisation over one channel is a constant; use 0 (none) or 2 or more.",
                        "es": "--conv 1 da una rama que no lee nada: una normalización sobre un solo canal es una constante; use 0 (ninguna) o 2 o más."},
    "series_help_patience": {"en": "stop when this many evaluations in a row bring no lower validation loss; 0: train to the budget (default {default})",
                             "es": "para cuando tantas evaluaciones seguidas no traen una pérdida de validación menor; 0: entrena hasta el presupuesto (por omisión {default})"},
    "series_help_refit": {"en": "once the step is chosen on validation, train the same network again on all the training data, validation part included, for that many steps, and use it (default {default})",
                          "es": "una vez elegido el paso en la validación, entrena de nuevo la misma red con todos los datos de entrenamiento, la parte de validación incluida, durante esos pasos, y la usa (por omisión {default})"},
    "series_refit_start": {"en": "Refitting on all {examples} training examples for {steps} steps...",
                           "es": "Reentrenando con los {examples} ejemplos de entrenamiento durante {steps} pasos..."},
    "series_refit_done": {"en": "Refit on {examples} examples for {steps} steps: refit.safetensors, used from now on.",
                          "es": "Reentrenada con {examples} ejemplos durante {steps} pasos: refit.safetensors, la que se usa desde ahora."},
    "series_refit_done_accuracy": {"en": "Refit on {examples} examples for {steps} steps: test accuracy {accuracy:.1f}% (refit.safetensors, used from now on).",
                                   "es": "Reentrenada con {examples} ejemplos durante {steps} pasos: exactitud de prueba {accuracy:.1f} % (refit.safetensors, la que se usa desde ahora)."},
    "series_refit_done_mase": {"en": "Refit on {examples} examples for {steps} steps: test MASE {mase:.3f} (refit.safetensors, used from now on).",
                               "es": "Reentrenada con {examples} ejemplos durante {steps} pasos: MASE de prueba {mase:.3f} (refit.safetensors, la que se usa desde ahora)."},
    "series_refit_done_mase_unused": {
        "en": ("Refit on {examples} examples for {steps} steps: test MASE {mase:.3f} (refit.safetensors); this run "
               "still forecasts with the seasonal naive, which did better on the validation stretch."),
        "es": ("Reentrenada con {examples} ejemplos durante {steps} pasos: MASE de prueba {mase:.3f} "
               "(refit.safetensors); esta corrida sigue pronosticando con el ingenuo estacional, que lo hizo mejor "
               "en el tramo de validación.")},
    "series_help_ensemble": {"en": "train this many networks together (seeds --seed, --seed + 1, ...) in one program and average their probabilities or forecasts (default: 1 for classification, 6 for forecasting)",
                             "es": "entrena estas redes juntas (semillas --seed, --seed + 1, ...) en un solo programa y promedia sus probabilidades o pronósticos (por omisión: 1 para clasificar, 6 para pronosticar)"},
    "series_help_target": {"en": "forecast this column of a CSV table, or 'all': every series of a .tsf file (any lengths) or every column of a table, with one global model (without it: classification)",
                           "es": "pronosticar esta columna de una tabla CSV, o 'all': todas las series de un archivo .tsf (de cualquier longitud) o todas las columnas de una tabla, con un solo modelo global (sin ella: clasificación)"},
    "series_help_context": {"en": "rows the forecaster reads; 0: chosen from the training rows, min(24, max(2 x season, rows / 4)), with --target all also at least 1.5 x horizon (default {default})",
                            "es": "filas que lee el pronosticador; 0: elegidas según las filas de entrenamiento, min(24, max(2 x estación, filas / 4)), con --target all también al menos 1,5 x horizonte (por defecto {default})"},
    "series_help_horizon": {"en": "values forecast; the last ones are held out for testing (default {default})",
                            "es": "valores pronosticados; los últimos se apartan para la prueba (por defecto {default})"},
    "series_help_season": {"en": "season length for the naive forecast and MASE; 0: from the dates (default {default})",
                           "es": "longitud de la estación para el pronóstico ingenuo y el MASE; 0: según las fechas (por defecto {default})"},
    "series_help_multi_step": {"en": "all values at once (direct) or one step fed back (iterated): {choices} (default {default})",
                               "es": "todos los valores a la vez (direct) o un paso realimentado (iterated): {choices} (por defecto {default})"},
    "series_help_transform": {"en": "log when every value is positive (auto), always (log) or never (none) (default {default})",
                              "es": "logaritmo si todos los valores son positivos (auto), siempre (log) o nunca (none) (por defecto {default})"},
    "series_help_predict": {"en": "classes and probabilities of new sequences, as CSV",
                            "es": "clases y probabilidades de secuencias nuevas, en CSV"},
    "series_help_predict_out": {"en": "write the CSV to this file (default: the screen)",
                                "es": "escribir el CSV en este archivo (por defecto: la pantalla)"},
    "series_help_forecast": {"en": "the next values after the end of the table, CSV and a figure",
                             "es": "los valores siguientes al final de la tabla, CSV y una figura"},
    "series_help_forecast_file": {"en": "the table to continue (default: the training table)",
                                  "es": "la tabla que continuar (por defecto: la de entrenamiento)"},
    "series_help_forecast_horizon": {"en": "how many values (default: the run's --horizon)",
                                     "es": "cuántos valores (por defecto: el --horizon de la corrida)"},
    "series_help_forecast_out": {"en": "folder for forecast.csv and forecast.png (default: the run folder)",
                                 "es": "carpeta para forecast.csv y forecast.png (por defecto: la de la corrida)"},
    "series_help_eval": {"en": "score a labelled file, or a table's last --horizon rows",
                         "es": "puntuar un archivo etiquetado, o las últimas --horizon filas de una tabla"},
    # ------------------------------------------------------------ progress and results
    "series_compiled": {"count": "devices",
                        "en": {"one": "Compiled in {seconds:.1f} s: {examples} training examples, {steps} steps of {batch} per epoch, 1 device.",
                               "other": "Compiled in {seconds:.1f} s: {examples} training examples, {steps} steps of {batch} per epoch, {devices} devices."},
                        "es": {"one": "Compilado en {seconds:.1f} s: {examples} ejemplos de entrenamiento, {steps} pasos de {batch} por época, 1 dispositivo.",
                               "other": "Compilado en {seconds:.1f} s: {examples} ejemplos de entrenamiento, {steps} pasos de {batch} por época, {devices} dispositivos."}},
    "series_eval_val": {"en": "step {step}: validation loss {loss:.4f}, accuracy {accuracy:.1f}%",
                        "es": "paso {step}: pérdida de validación {loss:.4f}, exactitud {accuracy:.1f} %"},
    "series_eval_forecast": {"en": "step {step}: validation MASE {mase:.3f}, sMAPE {smape:.2f}%, MAE {mae:.4g}",
                             "es": "paso {step}: MASE de validación {mase:.3f}, sMAPE {smape:.2f} %, MAE {mae:.4g}"},
    "series_summary_classify_test": {
        "en": ("Done after {steps} steps: the checkpoint of step {chosen} (lowest validation loss) scores test "
               "accuracy {accuracy:.1f}%; compile {compile:.1f} s, training {train:.1f} s."),
        "es": ("Listo tras {steps} pasos: el punto de control del paso {chosen} (menor pérdida de validación) logra "
               "una exactitud de prueba de {accuracy:.1f} %; compilación {compile:.1f} s, entrenamiento {train:.1f} s.")},
    "series_summary_classify_val": {
        "en": ("Done after {steps} steps: the checkpoint of step {chosen} (lowest validation loss) scores validation "
               "accuracy {accuracy:.1f}%; compile {compile:.1f} s, training {train:.1f} s."),
        "es": ("Listo tras {steps} pasos: el punto de control del paso {chosen} (menor pérdida de validación) logra "
               "una exactitud de validación de {accuracy:.1f} %; compilación {compile:.1f} s, entrenamiento {train:.1f} s.")},
    "series_naive_better": {
        "en": ("On the validation stretch the seasonal naive forecast did better than this checkpoint (MASE {naive:.3f} "
               "against {mase:.3f}): here it may be the better forecast."),
        "es": ("En el tramo de validación el pronóstico ingenuo estacional lo hizo mejor que este punto de control "
               "(MASE {naive:.3f} frente a {mase:.3f}): aquí puede ser el mejor pronóstico.")},
    "series_summary_forecast_naive": {
        "en": ("Done after {steps} steps: on the validation stretch the seasonal naive forecast (MASE {val_naive:.3f}) "
               "did better than the checkpoint of step {chosen} ({val_mase:.3f}), so this run forecasts with it: test "
               "MASE {mase:.3f} (the network's {network:.3f}), sMAPE {smape:.2f}%, MAE {mae:.4g}; compile "
               "{compile:.1f} s, training {train:.1f} s. --fallback none keeps the network."),
        "es": ("Listo tras {steps} pasos: en el tramo de validación el pronóstico ingenuo estacional (MASE "
               "{val_naive:.3f}) lo hizo mejor que el punto de control del paso {chosen} ({val_mase:.3f}), así que "
               "esta corrida pronostica con él: MASE de prueba {mase:.3f} (el de la red, {network:.3f}), sMAPE "
               "{smape:.2f} %, MAE {mae:.4g}; compilación {compile:.1f} s, entrenamiento {train:.1f} s. "
               "--fallback none conserva la red.")},
    "series_forecast_naive_chosen": {
        "en": ("On the validation stretch the seasonal naive forecast (MASE {val_naive:.3f}) did better than the "
               "checkpoint of step {chosen} ({val_mase:.3f}), so this run forecasts with it. --fallback none keeps "
               "the network."),
        "es": ("En el tramo de validación el pronóstico ingenuo estacional (MASE {val_naive:.3f}) lo hizo mejor que "
               "el punto de control del paso {chosen} ({val_mase:.3f}), así que esta corrida pronostica con él. "
               "--fallback none conserva la red.")},
    "series_eval_by_naive": {
        "en": ("This run forecasts with the seasonal naive forecast, which did better than its network on the "
               "validation stretch, so both columns agree."),
        "es": ("Esta corrida pronostica con el pronóstico ingenuo estacional, que lo hizo mejor que su red en el "
               "tramo de validación, así que ambas columnas coinciden.")},
    "series_naive_short": {
        "en": ("{path}: {rows} values; this run forecasts with the seasonal naive forecast, which needs at least one "
               "season ({season} values)."),
        "es": ("{path}: {rows} valores; esta corrida pronostica con el ingenuo estacional, que necesita al menos "
               "una temporada ({season} valores).")},
    "export_naive_chosen": {
        "en": ("{path} forecasts with the seasonal naive forecast (it did better on the validation stretch): the "
               "exported weights are its network's, which the run does not use."),
        "es": ("{path} pronostica con el ingenuo estacional (lo hizo mejor en el tramo de validación): los pesos "
               "exportados son los de su red, que la corrida no usa.")},
    "series_choice_unknown": {
        "en": ("{path} does not say whether this run forecasts with its network or with the seasonal naive (it is "
               "missing or damaged, or the run has not finished): let it finish, or resume it with rnr series train "
               "--resume."),
        "es": ("{path} no dice si esta corrida pronostica con su red o con el ingenuo estacional (falta, está "
               "dañado o la corrida no ha terminado): déjela terminar o reanúdela con rnr series train --resume.")},
    "series_forecast_is_naive": {
        "en": "These are the seasonal naive forecast's values: it did better than this run's network on the validation stretch.",
        "es": ("Estos son los valores del pronóstico ingenuo estacional: lo hizo mejor que la red de esta corrida en "
               "el tramo de validación.")},
    "series_help_inputs": {
        "en": "forecasts: what the network reads, the target's past (target) or every column of the table (all) (default {default})",
        "es": ("pronósticos: lo que lee la red, el pasado del objetivo (target) o todas las columnas de la tabla (all) "
               "(por defecto {default})")},
    "series_help_weight_decay": {
        "en": "AdamW's decoupled weight decay: each step also shrinks every weight by lr x this share; 0: plain Adam (default {default})",
        "es": ("decaimiento de pesos desacoplado de AdamW: cada paso también encoge cada peso en lr x esta fracción; "
               "0: Adam sin más (por defecto {default})")},
    "series_forecast_only": {
        "en": "{flag} is a forecasting setting: it needs --target COLUMN (without it, rnr series train classifies).",
        "es": "{flag} es un ajuste de pronóstico: necesita --target COLUMNA (sin él, rnr series train clasifica)."},
    "series_help_origins": {
        "en": ("forecasts: rolling origins inside the validation stretch, each forecasting the rest of it from the "
               "true values before it, at most one per row; their pooled MASE chooses the checkpoint and the fallback "
               "(default {default})"),
        "es": ("pronósticos: orígenes móviles dentro del tramo de validación, cada uno pronostica el resto del tramo "
               "desde los valores reales anteriores, como mucho uno por fila; su MASE conjunto elige el punto de "
               "control y el respaldo "
               "(por defecto {default})")},
    "series_help_fallback": {
        "en": ("forecasts: naive forecasts with the seasonal naive when it beats the network on the validation "
               "stretch; none always uses the network (default {default})"),
        "es": ("pronósticos: naive pronostica con el ingenuo estacional cuando supera a la red en el tramo de "
               "validación; none usa siempre la red (por defecto {default})")},
    "series_summary_forecast": {
        "en": ("Done after {steps} steps: the checkpoint of step {chosen} (lowest validation MASE) scores test MASE "
               "{mase:.3f} (seasonal naive {naive:.3f}), sMAPE {smape:.2f}%, MAE {mae:.4g}; compile {compile:.1f} s, "
               "training {train:.1f} s."),
        "es": ("Listo tras {steps} pasos: el punto de control del paso {chosen} (menor MASE de validación) logra un MASE "
               "de prueba de {mase:.3f} (ingenuo estacional {naive:.3f}), sMAPE {smape:.2f} %, MAE {mae:.4g}; "
               "compilación {compile:.1f} s, entrenamiento {train:.1f} s.")},
    "series_resume_hint": {"en": "Continue with: rnr series train --resume {path}",
                           "es": "Continúe con: rnr series train --resume {path}"},
    "series_predicted": {"en": "Predicted {n} sequences into {path}.", "es": "{n} secuencias predichas en {path}."},
    "series_forecast_written": {"en": "Forecast written to {csv} and {png}.",
                                "es": "Pronóstico escrito en {csv} y {png}."},
    "series_eval_classify_head": {
        "count": "n",
        "en": {"one": "{path}: 1 sequence, accuracy {accuracy:.1f}%, loss {loss:.4f} nats",
               "other": "{path}: {n:,} sequences, accuracy {accuracy:.1f}%, loss {loss:.4f} nats"},
        "es": {"one": "{path}: 1 secuencia, exactitud {accuracy:.1f} %, pérdida {loss:.4f} nats",
               "other": "{path}: {n:,} secuencias, exactitud {accuracy:.1f} %, pérdida {loss:.4f} nats"}},
    "series_eval_many_classes": {
        "en": "{classes:,} classes: each class's accuracy and the confusion matrix are printed for at most {most} "
              "classes (--json gives every class's accuracy).",
        "es": "{classes:,} clases: la exactitud de cada clase y la matriz de confusión se muestran para {most} "
              "clases como mucho (--json da la exactitud de cada clase)."},
    "series_eval_lowest": {"count": "shown",
                           "en": {"one": "The class with the lowest accuracy:",
                                  "other": "The {shown} classes with the lowest accuracy:"},
                           "es": {"one": "La clase con la menor exactitud:",
                                  "other": "Las {shown} clases con la menor exactitud:"}},
    "series_eval_col_class": {"en": "class", "es": "clase"},
    "series_eval_col_sequences": {"en": "sequences", "es": "secuencias"},
    "series_eval_col_accuracy": {"en": "accuracy", "es": "exactitud"},
    "series_eval_percent": {"en": "{value}%", "es": "{value} %"},
    "series_eval_confusion_head": {"en": "Confusion matrix (rows: true class, columns: predicted class):",
                                   "es": "Matriz de confusión (filas: clase verdadera, columnas: clase predicha):"},
    "series_eval_forecast_head": {
        "count": "h",
        "en": {"one": "{path}: the last row, forecast from the rows before it (season {season}):",
               "other": "{path}: the last {h} rows, forecast from the rows before them (season {season}):"},
        "es": {"one": "{path}: la última fila, pronosticada a partir de las anteriores (estación de {season}):",
               "other": "{path}: las últimas {h} filas, pronosticadas a partir de las anteriores (estación de {season}):"}},
    "series_eval_col_naive": {"en": "seasonal naive", "es": "ingenuo estacional"},
    "series_eval_forecast_note": {
        "en": ("MASE below 1: errors smaller than those of repeating the last season within the rows before them (the "
               "naive column is the same naive forecast on these rows)."),
        "es": ("MASE por debajo de 1: errores menores que los de repetir la última estación dentro de las filas "
               "anteriores (la columna del ingenuo es ese mismo pronóstico en estas filas).")},
    "series_help_eval_json": {"en": "print one JSON object (NaN and infinities as null) instead of the report",
                              "es": "mostrar un objeto JSON (NaN e infinitos como null) en lugar del informe"},
    # ------------------------------------------------------------ figures
    "series_fig_confusion": {"en": "{which}: accuracy {accuracy:.1f}% ({n} sequences)",
                             "es": "{which}: exactitud {accuracy:.1f} % ({n} secuencias)"},
    "series_fig_test": {"en": "Test", "es": "Prueba"},
    "series_fig_val": {"en": "Validation", "es": "Validación"},
    "series_fig_true": {"en": "true class", "es": "clase verdadera"},
    "series_fig_predicted": {"en": "predicted class", "es": "clase predicha"},
    "series_fig_count": {"en": "sequences", "es": "secuencias"},
    "series_fig_history": {"en": "history (training and validation)", "es": "historia (entrenamiento y validación)"},
    "series_fig_truth": {"en": "held out (truth)", "es": "apartado (verdad)"},
    "series_fig_rnr": {"en": "rnr: MASE {mase:.2f}", "es": "rnr: MASE {mase:.2f}"},
    "series_fig_network_unused": {"en": "rnr's network, not used (the naive did better on validation): MASE {mase:.2f}",
                                  "es": "red de rnr, sin usar (el ingenuo lo hizo mejor en validación): MASE {mase:.2f}"},
    "series_fig_future_naive": {"en": "forecast (the seasonal naive, which did better on validation)",
                                "es": "pronóstico (el ingenuo estacional, que lo hizo mejor en validación)"},
    "series_fig_interval_naive": {"en": "90% interval (the seasonal naive's errors on the run's rows)",
                                  "es": "intervalo del 90 % (los errores del ingenuo estacional en las filas de la corrida)"},
    "series_fig_naive_chosen": {"en": "seasonal naive, rnr's forecast: MASE {mase:.2f}",
                                "es": "ingenuo estacional, el pronóstico de rnr: MASE {mase:.2f}"},
    "series_fig_naive": {"en": "seasonal naive: MASE {mase:.2f}", "es": "ingenuo estacional: MASE {mase:.2f}"},
    "series_fig_forecast_title": {"en": "{target}: the last {h} values held out, forecast from the rows before",
                                  "es": "{target}: los últimos {h} valores apartados, pronosticados desde las filas anteriores"},
    "series_fig_future": {"en": "forecast", "es": "pronóstico"},
    "series_fig_future_title": {"en": "{target}: the next {h} values", "es": "{target}: los {h} valores siguientes"},
    "series_fig_loss": {"en": "training loss", "es": "pérdida de entrenamiento"},
    "series_fig_epoch": {"en": "epoch", "es": "época"},
    # ------------------------------------------------------------ bad input
    "series_missing": {"en": "The data file {path} does not exist; check the path.",
                       "es": "El archivo de datos {path} no existe; revise la ruta."},
    "series_not_file": {"en": "{path} is not a file; give a .ts, .csv, .tsv, .npz or .tsf file.",
                        "es": "{path} no es un archivo; indique un archivo .ts, .csv, .tsv, .npz o .tsf."},
    "series_empty": {"en": "The data file {path} is empty; give a file with sequences in it.",
                     "es": "El archivo de datos {path} está vacío; indique un archivo con secuencias."},
    "series_binary": {"en": "{path} is not a text file; give a .ts or CSV file (or .npz for NumPy arrays).",
                      "es": "{path} no es un archivo de texto; indique un archivo .ts o CSV (o .npz para arreglos de NumPy)."},
    "series_not_utf8": {"en": "{path} is not valid UTF-8 (bad byte at offset {offset}); convert it to UTF-8 first.",
                        "es": "{path} no es UTF-8 válido (byte erróneo en la posición {offset}); conviértalo antes a UTF-8."},
    "series_no_sequences": {"en": "{path} has no sequences; add one per line after @data (or one per row in a CSV).",
                            "es": "{path} no tiene secuencias; añada una por línea tras @data (o una por fila en un CSV)."},
    "series_ts_no_data": {"en": "{path} is not a .ts file: the header must end with an @data line before the sequences.",
                          "es": "{path} no es un archivo .ts: la cabecera debe terminar con una línea @data antes de las secuencias."},
    "series_ts_timestamps": {"en": "{path} has @timeStamps true; rnr reads only plain values: write the values without their time stamps.",
                             "es": "{path} tiene @timeStamps true; rnr solo lee valores simples: escriba los valores sin sus marcas de tiempo."},
    "series_ts_no_label": {"en": "{path}, line {line}: no class label after the values; end each line with :label, or set @classLabel false.",
                           "es": "{path}, línea {line}: falta la etiqueta de clase tras los valores; termine cada línea con :etiqueta, o ponga @classLabel false."},
    "series_ts_label": {"en": "{path}, line {line}: the label {label} is not one of @classLabel's ({classes}); fix the label or the header (class names cannot contain spaces).",
                        "es": "{path}, línea {line}: la etiqueta {label} no está entre las de @classLabel ({classes}); corrija la etiqueta o la cabecera (los nombres de clase no pueden tener espacios)."},
    "series_date_format": {"en": "{path}, line {line}: '{value}' is not a date in the form of the first one ({first}); write every date the same way.",
                           "es": "{path}, línea {line}: '{value}' no es una fecha con la forma de la primera ({first}); escriba todas las fechas igual."},
    "series_fig_interval": {"en": "90% interval (the model's residuals on its training windows)",
                            "es": "intervalo del 90 % (los residuos del modelo en sus ventanas de entrenamiento)"},
    "series_npz_dtype": {"en": "{path}: X holds {dtype} values; it must hold real numbers (integers or floats).",
                         "es": "{path}: X contiene valores {dtype}; debe contener números reales (enteros o de coma flotante)."},
    "series_too_short_context": {"en": "{path} has {rows} rows; the run reads --context {context} rows before it forecasts: give at least {context}.",
                                 "es": "{path} tiene {rows} filas; la corrida lee --context {context} filas antes de pronosticar: dé al menos {context}."},
    "series_log_run": {"en": "{path} has values that are zero or negative, but this run was trained on their logarithm; give positive values, or train again with --transform none.",
                       "es": "{path} tiene valores nulos o negativos, pero esta corrida se entrenó con su logaritmo; dé valores positivos o vuelva a entrenar con --transform none."},
    "series_ts_dims": {"en": "{path}, line {line}: {found} dimension(s), but earlier lines have {expected}; every sequence needs the same dimensions.",
                       "es": "{path}, línea {line}: {found} dimensión(es), pero las líneas anteriores tienen {expected}; todas las secuencias necesitan las mismas dimensiones."},
    "series_ts_ragged": {"en": "{path}, line {line}: the dimensions of this sequence have different lengths ({lengths}); each dimension needs one value per step.",
                         "es": "{path}, línea {line}: las dimensiones de esta secuencia tienen longitudes distintas ({lengths}); cada dimensión necesita un valor por paso."},
    "series_value": {"en": "{path}, line {line}: '{value}' is not a number; fix or remove it.",
                     "es": "{path}, línea {line}: '{value}' no es un número; corríjalo o quítelo."},
    "series_missing_value": {"en": "{path}, line {line}: a missing value (? or NaN) inside a sequence; fill it in, or cut the sequence there (only trailing values may be missing).",
                             "es": "{path}, línea {line}: falta un valor (? o NaN) dentro de una secuencia; rellénelo o corte la secuencia ahí (solo pueden faltar valores al final)."},
    "series_all_missing": {"en": "{path}, line {line}: a sequence with no values; remove the line.",
                           "es": "{path}, línea {line}: una secuencia sin valores; quite la línea."},
    "series_huge_value": {"en": "{path}, line {line}: an infinite value or one beyond 1e30 in magnitude; rescale or fix the data.",
                          "es": "{path}, línea {line}: un valor infinito o de magnitud mayor que 1e30; reescale o corrija los datos."},
    "series_csv_header": {"en": "{path} starts with a header ({columns}); for classification give one sequence per row with its label first and no header, or for forecasting give --target COLUMN.",
                          "es": "{path} empieza con una cabecera ({columns}); para clasificar dé una secuencia por fila con su etiqueta primero y sin cabecera, o para pronosticar dé --target COLUMNA."},
    "series_csv_short": {"en": "{path}, line {line}: a label but no values; each row is a label followed by the sequence's values.",
                         "es": "{path}, línea {line}: una etiqueta sin valores; cada fila es una etiqueta seguida de los valores de la secuencia."},
    "reason_not_zip": {"en": "it is not a zip archive", "es": "no es un archivo zip"},
    "reason_zip_method": {"en": "it is compressed in a way rnr cannot read",
                          "es": "está comprimido de un modo que rnr no sabe leer"},
    "reason_damaged": {"en": "it is cut short or damaged", "es": "está truncado o dañado"},
    "series_npz_bad": {"en": "{path} is not a readable NumPy .npz archive ({reason}); save it with numpy.savez(path, X=..., y=...).",
                       "es": "{path} no es un archivo .npz de NumPy legible ({reason}); guárdelo con numpy.savez(ruta, X=..., y=...)."},
    "series_npz_keys": {"en": "{path} must hold arrays X and y (it holds: {keys}).",
                        "es": "{path} debe contener los arreglos X e y (contiene: {keys})."},
    "series_npz_shape": {"en": "{path}: X must be numbers of shape (N, T) or (N, T, F) and y of shape (N,); got X {x} and y {y}.",
                         "es": "{path}: X debe ser numérico de forma (N, T) o (N, T, F) e y de forma (N,); hay X {x} e y {y}."},
    "series_npz_lengths": {"en": "{path}: lengths must be N whole numbers from 1 to {T}.",
                           "es": "{path}: lengths debe tener N números enteros de 1 a {T}."},
    "series_npz_value": {"en": "{path}: sequence {index} has a value that is NaN, infinite or beyond 1e30 in magnitude within its length.",
                         "es": "{path}: la secuencia {index} tiene un valor NaN, infinito o de magnitud mayor que 1e30 dentro de su longitud."},
    "series_npz_member": {"en": "{path} is a zip archive, but its member {name} is not a NumPy array; save the data with numpy.savez(path, X=..., y=...).",
                          "es": "{path} es un archivo zip, pero su miembro {name} no es un arreglo de NumPy; guarde los datos con numpy.savez(ruta, X=..., y=...)."},
    "series_npz_objects": {"en": "{path}: the array {name} holds Python objects, which rnr does not unpickle; save numbers in X and numbers or strings in y.",
                           "es": "{path}: el arreglo {name} contiene objetos de Python, que rnr no deserializa; guarde números en X y números o textos en y."},
    "series_csv_no_labels": {
        "en": "{path}: the first column does not look like class labels ({distinct} distinct non-integer values in {rows} rows); rnr has no option for files without labels, so lay each row out label first, then the sequence's values.",
        "es": "{path}: la primera columna no parece de etiquetas de clase ({distinct} valores no enteros distintos en {rows} filas); rnr no tiene opción para archivos sin etiquetas, así que ponga en cada fila la etiqueta primero y luego los valores de la secuencia."},
    "series_ts_classes_repeated": {"en": "{path}: @classLabel names the class {label} twice; list each class once.",
                                   "es": "{path}: @classLabel nombra la clase {label} dos veces; indique cada clase una sola vez."},
    "series_tsf_no_data": {"en": "{path} has no @data line; a .tsf header ends with @data, then one series a line.",
                           "es": "{path} no tiene línea @data; la cabecera de un .tsf termina con @data, y luego va una serie por línea."},
    "series_tsf_before_data": {"en": "{path}, line {line}: a series before the @data line; the header must end with @data.",
                               "es": "{path}, línea {line}: una serie antes de la línea @data; la cabecera debe terminar con @data."},
    "series_tsf_header": {"en": "{path}, line {line}: {word} is not a .tsf header line (those are @relation, @attribute, @frequency, @horizon, @missing, @equallength and @data).",
                          "es": "{path}, línea {line}: {word} no es una línea de cabecera de .tsf (esas son @relation, @attribute, @frequency, @horizon, @missing, @equallength y @data)."},
    "series_tsf_attribute": {"en": "{path}, line {line}: '{text}' is not an attribute; write @attribute NAME TYPE with the type string, numeric or date.",
                             "es": "{path}, línea {line}: '{text}' no es un atributo; escriba @attribute NOMBRE TIPO con el tipo string, numeric o date."},
    "series_tsf_fields": {"en": "{path}, line {line}: {found} attribute value(s) before the series' values, but the header declares {expected} @attribute line(s); separate them with ':'.",
                          "es": "{path}, línea {line}: {found} valor(es) de atributo antes de los valores de la serie, pero la cabecera declara {expected} línea(s) @attribute; sepárelos con ':'."},
    "series_tsf_date": {"en": "{path}, line {line}: '{value}' is not a date; write it as 1972-01-01 00-00-00.",
                        "es": "{path}, línea {line}: '{value}' no es una fecha; escríbala como 1972-01-01 00-00-00."},
    "series_tsf_empty": {"en": "{path}, line {line}: a series with no values; remove the line.",
                         "es": "{path}, línea {line}: una serie sin valores; quite la línea."},
    "series_tsf_horizon": {"en": "{path}, line {line}: the horizon '{value}' is not a positive whole number.",
                           "es": "{path}, línea {line}: el horizonte '{value}' no es un número entero positivo."},
    "series_tsf_not_table": {"en": "{path} holds {n} series of {low} to {high} values; one --target reads them as the columns of one table, so give --target all (one model for every series) or a .tsf whose series have one length.",
                             "es": "{path} contiene {n} series de {low} a {high} valores; un solo --target las lee como las columnas de una tabla, así que dé --target all (un modelo para todas las series) o un .tsf cuyas series tengan una sola longitud."},
    "series_tsf_starts": {"en": "{path}, line {line}: this series starts at {date}, the first at {first}; forecasting reads the series as the columns of one table, so they must start together.",
                          "es": "{path}, línea {line}: esta serie empieza en {date} y la primera en {first}; el pronóstico lee las series como las columnas de una tabla, así que deben empezar a la vez."},
    "series_tsf_missing": {"en": "{path}, line {line}: the series {name} has a missing value (?); forecasting needs every value (fill the gaps first).",
                           "es": "{path}, línea {line}: a la serie {name} le falta un valor (?); el pronóstico necesita todos los valores (rellene los huecos antes)."},
    "series_tsf_repeated": {"en": "{path}: two series are named {name}; forecasting needs a distinct name for each column.",
                            "es": "{path}: dos series se llaman {name}; el pronóstico necesita un nombre distinto para cada columna."},
    "series_tsf_classify": {"en": "{path} is a .tsf file of series to forecast, not of labelled sequences; give --target with a series' name to forecast it.",
                            "es": "{path} es un archivo .tsf de series que pronosticar, no de secuencias etiquetadas; dé --target con el nombre de una serie para pronosticarla."},
    "series_no_labels": {"en": "{path} has no class labels; training and evaluation need a label for every sequence.",
                         "es": "{path} no tiene etiquetas de clase; el entrenamiento y la evaluación necesitan una etiqueta por secuencia."},
    "series_one_class": {"en": "{path} has only one class; a classifier needs examples of two or more.",
                         "es": "{path} tiene una sola clase; un clasificador necesita ejemplos de dos o más."},
    "series_new_class": {"en": "{path} has label(s) {labels} the model was not trained on (it knows {classes}).",
                         "es": "{path} tiene etiqueta(s) {labels} con las que el modelo no se entrenó (conoce {classes})."},
    "series_features_differ": {"en": "{path} has {found} feature(s) per step, but the model reads {expected}.",
                               "es": "{path} tiene {found} variable(s) por paso, pero el modelo lee {expected}."},
    "series_too_few": {"count": "n",
                       "en": {"one": "{path} has 1 sequence, so none can be held out for validation, which chooses the checkpoint; give two or more sequences of a class.",
                              "other": "{path} has {n} sequences, but no class has two, so none can be held out for validation, which chooses the checkpoint; give two or more sequences of a class."},
                       "es": {"one": "{path} tiene 1 secuencia, así que no se puede apartar una validación, que elige el punto de control; dé dos o más secuencias de una clase.",
                              "other": "{path} tiene {n} secuencias, pero ninguna clase tiene dos, así que no se puede apartar una validación, que elige el punto de control; dé dos o más secuencias de una clase."}},
    "series_table_short": {"en": "{path} needs a header line and at least one row of values.",
                           "es": "{path} necesita una línea de cabecera y al menos una fila de valores."},
    "series_table_header": {"en": "{path} has no header; forecasting reads a CSV whose first line names the columns.",
                            "es": "{path} no tiene cabecera; el pronóstico lee un CSV cuya primera línea nombra las columnas."},
    "series_table_ragged": {"en": "{path}, line {line}: {found} cells, but the header has {expected}.",
                            "es": "{path}, línea {line}: {found} celdas, pero la cabecera tiene {expected}."},
    "series_table_no_numbers": {"en": "{path} has no numeric column to forecast.",
                                "es": "{path} no tiene ninguna columna numérica que pronosticar."},
    "series_table_missing": {"en": "{path}, line {line}: column {column} is empty; forecasting needs every value (fill the gap first).",
                             "es": "{path}, línea {line}: la columna {column} está vacía; el pronóstico necesita todos los valores (rellene el hueco antes)."},
    "series_no_target": {"en": "{path} has no column {target}; its numeric columns are: {columns}.",
                         "es": "{path} no tiene la columna {target}; sus columnas numéricas son: {columns}."},
    "series_too_short": {"en": "{path} has {rows} rows; --context {context} and --horizon {horizon} need at least {need}: use a smaller --context or --horizon.",
                         "es": "{path} tiene {rows} filas; --context {context} y --horizon {horizon} necesitan al menos {need}: use un --context o --horizon menor."},
    "series_season_long": {"en": "The season ({season}) is as long as the {rows} training rows; give a smaller --season.",
                           "es": "La estación ({season}) es tan larga como las {rows} filas de entrenamiento; dé un --season menor."},
    "series_log_nonpositive": {"en": "{path} has values that are zero or negative, so they have no logarithm; use --transform none.",
                               "es": "{path} tiene valores nulos o negativos, que no tienen logaritmo; use --transform none."},
    "series_need_file": {"en": "Give the data to train on: rnr series train FILE.",
                         "es": "Indique los datos para entrenar: rnr series train ARCHIVO."},
    "series_test_forecast": {"en": "--test is for classification; a forecaster holds out the last --horizon rows of its table.",
                             "es": "--test es para clasificar; un pronosticador aparta las últimas --horizon filas de su tabla."},
    "series_changed": {"en": "The data {path} is not the file run {run} was trained on; give the original file to resume.",
                       "es": "Los datos {path} no son el archivo con el que se entrenó la corrida {run}; indique el original para continuar."},
    "series_not_classifier": {"en": "{path} is a forecasting run; use rnr series forecast or eval.",
                              "es": "{path} es una corrida de pronóstico; use rnr series forecast o eval."},
    "series_not_forecaster": {"en": "{path} is a classification run; use rnr series predict or eval.",
                              "es": "{path} es una corrida de clasificación; use rnr series predict o eval."},
    "series_columns_differ": {"en": "{path} has columns {found}, but the model was trained on {expected}.",
                              "es": "{path} tiene las columnas {found}, pero el modelo se entrenó con {expected}."},
    "series_horizon_direct": {"en": "The model forecasts {horizon} values at once; ask for at most that many (or train with --multi-step iterated), not {steps}.",
                              "es": "El modelo pronostica {horizon} valores a la vez; pida como mucho esos (o entrene con --multi-step iterated), no {steps}."},
    # ------------------------------------------------------------ rnr view
    "series_view_input": {"en": "input (scaled)", "es": "entrada (escalada)"},
    "series_view_title": {"en": "Sequence {row}: class {true}, predicted {pred} ({p:.0f}%); {cell}, layer {layer}",
                          "es": "Secuencia {row}: clase {true}, predicha {pred} ({p:.0f} %); {cell}, capa {layer}"},
    "series_view_title_forecast": {"en": "The last {n} rows, relative to their mean (what the next forecast reads); {cell}, layer {layer}",
                                   "es": "Las últimas {n} filas, relativas a su media (lo que lee el próximo pronóstico); {cell}, capa {layer}"},
    "series_view_row": {"en": "--row {row} is past the {n} sequences of {path}; give a row from 0 to {n} - 1.",
                        "es": "--row {row} está más allá de las {n} secuencias de {path}; dé una fila de 0 a {n} - 1."},
    "series_view_layer": {"en": "--layer {layer} does not exist: the model has {layers} layer(s), numbered from 0.",
                          "es": "--layer {layer} no existe: el modelo tiene {layers} capa(s), numeradas desde 0."},
    "series_target_not_table": {
        "en": "{path} holds sequences to classify, not a table; --target forecasts a column of a CSV with a header (leave --target out to classify).",
        "es": "{path} contiene secuencias para clasificar, no una tabla; --target pronostica una columna de un CSV con cabecera (quite --target para clasificar)."},
    "series_forecast_out_file": {
        "en": "{path} is a file; --out names the folder that receives forecast.csv and forecast.png: choose another.",
        "es": "{path} es un archivo; --out indica la carpeta que recibe forecast.csv y forecast.png: elija otra."},
    "series_out_no_folder": {
        "en": "The folder {folder} of --out {path} does not exist; create it or choose another --out.",
        "es": "La carpeta {folder} de --out {path} no existe; créela o elija otro --out."},
    "series_dates_order": {
        "en": "{path}, line {line}: the date {date} does not come after {before}; sort the rows by date and remove repeated dates.",
        "es": "{path}, línea {line}: la fecha {date} no va después de {before}; ordene las filas por fecha y quite las fechas repetidas."},
    # ------------------------------------------------------------ --target all
    "series_all_direct": {"en": "--target all forecasts every series with --multi-step direct; leave --multi-step out.",
                          "es": "--target all pronostica cada serie con --multi-step direct; no indique --multi-step."},
    "series_panel_short": {"en": "{path}: the series {name} has {rows} values; --horizon {horizon} held out twice (validation, then test) and a season of {season} need at least {need}: use a smaller --horizon or leave the series out.",
                           "es": "{path}: la serie {name} tiene {rows} valores; --horizon {horizon} apartado dos veces (validación, luego prueba) y una estación de {season} necesitan al menos {need}: use un --horizon menor o quite la serie."},
    "series_panel_no_windows": {"en": "{path}: no series has a training window (the longest has {most} training values, a window needs {need}); use a smaller --horizon.",
                                "es": "{path}: ninguna serie tiene una ventana de entrenamiento (la más larga tiene {most} valores de entrenamiento, una ventana necesita {need}); use un --horizon menor."},
    "series_eval_forecast_series": {
        "count": "n",
        "en": {"one": "Mean over {n} series, each scored on its own last values.",
               "other": "Mean over {n} series, each scored on its own last values."},
        "es": {"one": "Media de {n} serie, cada una puntuada en sus propios últimos valores.",
               "other": "Media de {n} series, cada una puntuada en sus propios últimos valores."}},
}
