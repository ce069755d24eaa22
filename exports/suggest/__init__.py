"""Assisted coding (issue 16): classifiers learnt from the team's own codings (training.py,
model.py, features.py), judged by cross-validation grouped by document (evaluation.py), the
report (report.py) and predictions for the coding screen and `export --predicted`
(predict.py). scikit-learn and SciPy load only here, when one of these modules is used."""
