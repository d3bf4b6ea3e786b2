"""Data for training: each task yields series laid out as batch rows."""
