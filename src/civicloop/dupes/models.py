"""No tables: the index is the open cases themselves, held in each process's memory (`index.py`) and kept up to
date from the case event log — see dupes-decision.md for why not a table of MinHash bands."""
