"""Figures (matplotlib) and pages that show what a model does."""
