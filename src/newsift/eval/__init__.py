"""Scorers: each layer's measure on its evaluation set."""
