"""The deliberation hall (议事厅): topics, moderated discussion, residents' meetings, household votes, and the
compound conventions (微规约) those votes adopt. Vocabulary: `constants.py`; start with README.md."""
