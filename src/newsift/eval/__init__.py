"""Evaluation scorers: each measures one layer on its labelled corpus."""
