"""apikeys — keys for other systems (Open311 clients, the 12345 platform). Vocabulary in `constants.py`; see README.md."""
