"""Command-line help of `rnr text` and `rnr export`, in English and Spanish."""

MESSAGES = {
    'text_help': {
        "en": 'character-level language models on any UTF-8 text',
        "es": 'modelos de lenguaje por caracteres sobre cualquier texto UTF-8',
    },
    'text_help_long': {
        "en": 'Train, sample and evaluate character-level language models.',
        "es": 'Entrena, muestrea y evalúa modelos de lenguaje por caracteres.',
    },
    'text_help_train': {
        "en": 'train on a text file (or --resume a run)',
        "es": 'entrena con un archivo de texto (o --resume una corrida)',
    },
    'text_help_file': {
        "en": 'UTF-8 text file (when resuming: default the original file)',
        "es": 'archivo de texto UTF-8 (al reanudar: por omisión el original)',
    },
    'text_help_resume': {
        "en": 'continue the run in this directory exactly where it stopped',
        "es": 'continúa la corrida de este directorio justo donde se detuvo',
    },
    'text_help_out': {
        "en": 'run directory (default: runs/text-<time>)',
        "es": 'directorio de la corrida (por omisión: runs/text-<hora>)',
    },
    'text_help_embed': {
        "en": 'embedding width (default {default})',
        "es": 'ancho de la incrustación (por omisión {default})',
    },
    'text_help_lr_decay': {
        "en": 'multiply the rate by this each epoch (default {default})',
        "es": 'multiplica la tasa por este valor en cada época (por omisión {default})',
    },
    'text_help_val_max': {
        "en": 'validate on at most this many characters; 0: all (default {default})',
        "es": 'valida con a lo sumo estos caracteres; 0: todos (por omisión {default})',
    },
    'text_help_sample_chars': {
        "en": 'characters sampled at each validation (default {default})',
        "es": 'caracteres muestreados en cada validación (por omisión {default})',
    },
    'text_help_quiet': {
        "en": 'print only the summary',
        "es": 'muestra solo el resumen',
    },
    'text_help_sample': {
        "en": 'write text with a trained model',
        "es": 'escribe texto con un modelo entrenado',
    },
    'text_help_temperature': {
        "en": 'below 1: safer, above 1: wilder (default {default})',
        "es": 'menos de 1: más prudente, más de 1: más audaz (por omisión {default})',
    },
    'text_help_top_k': {
        "en": 'draw only among the k likeliest; 0: all (default {default})',
        "es": 'elige solo entre los k más probables; 0: todos (por omisión {default})',
    },
    'text_help_prime': {
        "en": 'text to start from (default: a newline)',
        "es": 'texto inicial (por omisión: un salto de línea)',
    },
    'text_help_greedy': {
        "en": 'always take the likeliest character',
        "es": 'toma siempre el carácter más probable',
    },
    'text_help_eval': {
        "en": 'loss and bits per character of a text',
        "es": 'pérdida y bits por carácter de un texto',
    },
    'export_help': {
        "en": "export a run's weights to PyTorch",
        "es": 'exporta los pesos de una corrida a PyTorch',
    },
    'export_help_long': {
        "en": 'Write a state dict for torch.nn.Embedding + LSTM/GRU/RNN + Linear (names and gate order as PyTorch expects; see docs/text.md).',
        "es": 'Escribe un state dict para torch.nn.Embedding + LSTM/GRU/RNN + Linear (nombres y orden de compuertas como espera PyTorch; vea docs/text.md).',
    },
    'export_help_run': {
        "en": 'a run directory with a model (eco, text or series)',
        "es": 'un directorio de corrida con un modelo (eco, texto o series)',
    },
    'export_help_torch': {
        "en": 'output file (must not exist)',
        "es": 'archivo de salida (no debe existir)',
    },
    'text_help_plot': {
        "en": 'end: write the figures when training ends (default); none: no figures',
        "es": 'end: guarda las figuras al terminar (por omisión); none: sin figuras',
    },
}
