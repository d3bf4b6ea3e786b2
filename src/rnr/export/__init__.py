"""``rnr export``: a run's weights for PyTorch (torch) and the command."""
