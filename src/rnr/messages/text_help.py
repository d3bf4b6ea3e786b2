"""Command-line help of `rnr text` and `rnr export`, in English and Spanish."""

MESSAGES = {
    'texthelp_00': {
        "en": 'character-level language models on any UTF-8 text',
        "es": 'modelos de lenguaje por caracteres sobre cualquier texto UTF-8',
    },
    'texthelp_01': {
        "en": 'Train, sample and evaluate character-level language models.',
        "es": 'Entrena, muestrea y evalúa modelos de lenguaje por caracteres.',
    },
    'texthelp_02': {
        "en": 'train on a text file (or --resume a run)',
        "es": 'entrena con un archivo de texto (o --resume una corrida)',
    },
    'texthelp_03': {
        "en": 'UTF-8 text file (when resuming: default the original file)',
        "es": 'archivo de texto UTF-8 (al reanudar: por omisión el original)',
    },
    'texthelp_04': {
        "en": 'continue the run in this directory exactly where it stopped',
        "es": 'continúa la corrida de este directorio justo donde se detuvo',
    },
    'texthelp_05': {
        "en": 'run directory (default: runs/text-<time>)',
        "es": 'directorio de la corrida (por omisión: runs/text-<hora>)',
    },
    'texthelp_06': {
        "en": '{choices} ({default})',
        "es": '{choices} ({default})',
    },
    'texthelp_07': {
        "en": 'stacked layers (1)',
        "es": 'capas apiladas (1)',
    },
    'texthelp_08': {
        "en": 'units per layer (256)',
        "es": 'unidades por capa (256)',
    },
    'texthelp_09': {
        "en": 'embedding width (64)',
        "es": 'ancho de la incrustación (64)',
    },
    'texthelp_10': {
        "en": 'dropout between layers (0)',
        "es": 'dropout entre capas (0)',
    },
    'texthelp_11': {
        "en": 'batch rows (32)',
        "es": 'filas del lote (32)',
    },
    'texthelp_12': {
        "en": 'truncated-BPTT window in characters (64)',
        "es": 'ventana de retropropagación truncada, en caracteres (64)',
    },
    'texthelp_13': {
        "en": '{choices} ({default})',
        "es": '{choices} ({default})',
    },
    'texthelp_14': {
        "en": 'learning rate (0.002)',
        "es": 'tasa de aprendizaje (0.002)',
    },
    'texthelp_15': {
        "en": "clip the gradient's global norm to this value; 0: off (5)",
        "es": 'recorta la norma global del gradiente a este valor; 0: sin recorte (5)',
    },
    'texthelp_16': {
        "en": 'multiply the rate by this each epoch (1)',
        "es": 'multiplica la tasa por este valor en cada época (1)',
    },
    'texthelp_17': {
        "en": 'passes over the training text; 0: no limit',
        "es": 'pasadas por el texto de entrenamiento; 0: sin límite',
    },
    'texthelp_18': {
        "en": 'optimizer steps (one per window) to train in all, resumes included',
        "es": 'pasos del optimizador (uno por ventana) a entrenar en total, reanudaciones incluidas',
    },
    'texthelp_19': {
        "en": 'minutes to train; 0: no limit',
        "es": 'minutos de entrenamiento; 0: sin límite',
    },
    'texthelp_20': {
        "en": 'last part held out (0.1)',
        "es": 'parte final reservada para validación (0.1)',
    },
    'texthelp_21': {
        "en": 'validate on at most this many characters; 0: all',
        "es": 'valida con a lo sumo estos caracteres; 0: todos',
    },
    'texthelp_22': {
        "en": 'torch or tutorial (torch)',
        "es": 'torch o tutorial (torch)',
    },
    'texthelp_23': {
        "en": 'added to the LSTM forget bias (0)',
        "es": 'se suma al sesgo de olvido de la LSTM (0)',
    },
    'texthelp_24': {
        "en": 'random seed (0)',
        "es": 'semilla aleatoria (0)',
    },
    'texthelp_25': {
        "en": 'windows per compiled call (50)',
        "es": 'ventanas por llamada compilada (50)',
    },
    'texthelp_26': {
        "en": 'windows between validations (500)',
        "es": 'ventanas entre validaciones (500)',
    },
    'texthelp_27': {
        "en": 'characters sampled at each validation (200)',
        "es": 'caracteres muestreados en cada validación (200)',
    },
    'texthelp_28': {
        "en": 'print only the summary',
        "es": 'muestra solo el resumen',
    },
    'texthelp_29': {
        "en": 'write text with a trained model',
        "es": 'escribe texto con un modelo entrenado',
    },
    'texthelp_30': {
        "en": 'characters to write (500)',
        "es": 'caracteres a escribir (500)',
    },
    'texthelp_31': {
        "en": 'below 1: safer, above 1: wilder (1)',
        "es": 'menos de 1: más prudente, más de 1: más audaz (1)',
    },
    'texthelp_32': {
        "en": 'draw only among the k likeliest; 0: all (0)',
        "es": 'elige solo entre los k más probables; 0: todos (0)',
    },
    'texthelp_33': {
        "en": 'text to start from (default: a newline)',
        "es": 'texto inicial (por omisión: un salto de línea)',
    },
    'texthelp_34': {
        "en": 'always take the likeliest character',
        "es": 'toma siempre el carácter más probable',
    },
    'texthelp_35': {
        "en": 'loss and bits per character of a text',
        "es": 'pérdida y bits por carácter de un texto',
    },
    'texthelp_38': {
        "en": "export a run's weights to PyTorch",
        "es": 'exporta los pesos de una corrida a PyTorch',
    },
    'texthelp_39': {
        "en": 'Write a state dict for torch.nn.Embedding + LSTM/GRU/RNN + Linear (names and gate order as PyTorch expects; see docs/text.md).',
        "es": 'Escribe un state dict para torch.nn.Embedding + LSTM/GRU/RNN + Linear (nombres y orden de compuertas como espera PyTorch; vea docs/text.md).',
    },
    'texthelp_40': {
        "en": 'a text (or echo) run directory',
        "es": 'un directorio de corrida de texto (o de eco)',
    },
    'texthelp_41': {
        "en": 'output file (must not exist)',
        "es": 'archivo de salida (no debe existir)',
    },
    'texthelp_plot': {
        "en": 'end: write the figures when training ends (default); none: no figures',
        "es": 'end: guarda las figuras al terminar (por omisión); none: sin figuras',
    },
}
