"""open311 — the Open311 GeoReport v2 server at /open311/v2/ (plain views; formats in `formats.py`). See README.md."""
