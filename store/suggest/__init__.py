"""Assisted coding's storage: the classifiers `accord suggest train` fits, in the project file
(table `models`), and the coder-file setting that turns suggestions off. Fitting and judging
them is exports/suggest/."""
