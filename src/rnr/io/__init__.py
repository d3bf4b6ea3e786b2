"""Files: atomic writes (``files``), checkpoints, run folders, TensorBoard
event files, the user's own files."""
