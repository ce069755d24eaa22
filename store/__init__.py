"""Accord's store: the project file, the codebook, and everything that brings data in."""

import sys as _sys

# sqlite-utils imports pandas when it is installed (0.4 s of CPU, half the coding screen's
# startup) only to map pandas.Timestamp to TEXT, which Accord never stores. Hide pandas during
# that one import; `import pandas` works as usual afterwards (exports, agreement).
if "pandas" not in _sys.modules and "sqlite_utils" not in _sys.modules:
    _sys.modules["pandas"] = None  # type: ignore[assignment]
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        del _sys.modules["pandas"]

from store.codebook_model import Code, Codebook, Level
from store.coding import CONSENSUS
from store.errors import AccordError, CodebookError, Problem, ProjectError
from store.project import Project
from store.status import CoderStatus as CoderStatus, ProjectStatus as ProjectStatus, project_status as project_status
from store.words import plural as plural

__all__ = ["CONSENSUS", "AccordError", "Code", "Codebook", "CodebookError", "Level", "Problem", "Project", "ProjectError"]
