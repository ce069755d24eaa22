"""The demo project: ten statements written for Accord, already coded by two demo coders."""

from __future__ import annotations

from importlib import resources

DEMO_PACKAGE_DIR = ("data", "demo")
"""Where the demo statements live inside the `store` package (shipped as package data)."""


def demo_texts() -> dict[str, bytes]:
    """The shipped demo statements, file name -> raw bytes, in corpus order.

    Read through importlib.resources so that it works from a wheel as well as a checkout.
    """
    folder = resources.files("store").joinpath(*DEMO_PACKAGE_DIR)
    return {
        entry.name: entry.read_bytes()
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".txt")
    }
