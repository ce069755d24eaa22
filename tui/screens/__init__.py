"""Textual screens of Accord."""
