"""Screens and dialogs of the Accord app."""
