"""PyTorch peers of rnr's models, for parity tests and side-by-side benchmarks.

Importing these modules needs ``torch`` (``pip install 'rnr[compare]'``).
"""
