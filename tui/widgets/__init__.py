"""Widgets of the coding screen and its dialogs."""
