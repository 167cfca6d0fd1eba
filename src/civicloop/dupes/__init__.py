"""dupes — one problem, one case: the open cases a new or open case likely duplicates (issue 19). See README.md."""
