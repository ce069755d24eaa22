"""Accord's store: the project file, the codebook, and everything that brings data in."""

from store.codebook_model import Code, Codebook, Level
from store.coding import CONSENSUS
from store.errors import AccordError, CodebookError, Problem, ProjectError
from store.project import Project

__all__ = ["CONSENSUS", "AccordError", "Code", "Codebook", "CodebookError", "Level", "Problem", "Project", "ProjectError"]
