"""The assessment's writers: sets.py (indicator sets, versions, indicators), runs.py (evaluations, entries)."""
