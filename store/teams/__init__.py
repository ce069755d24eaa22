"""Work across coders and files: handing out a project (handout.py), merging coders' files
(merge.py, with its checks, row rules and report), adjudicating disagreements
(adjudication.py) and counting the open ones in bulk (open_disagreements.py).

These are functions taking a Project (or paths), not Project methods: each joins several
coders' work or several files, where a method would speak for one coder on one project."""
