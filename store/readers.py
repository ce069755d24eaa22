"""`from store.readers import read_paths`, the import path README documents; the readers live
in store/intake/readers.py."""

from store.intake.readers import read_paths

__all__ = ["read_paths"]
