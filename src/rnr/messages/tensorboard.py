"""Messages of the TensorBoard event files (rnr.tensorboard)."""

MESSAGES = {
    "tensorboard_missing": {
        "en": ("note: no TensorBoard event files, tensorboardX is not installed "
               "(python3 -m pip install tensorboardX); metrics.jsonl is written as always."),
        "es": ("nota: sin archivos de eventos de TensorBoard, tensorboardX no está instalado "
               "(python3 -m pip install tensorboardX); metrics.jsonl se escribe como siempre."),
    },
}
