"""Visits (大调研 / "满意在徐汇" 大走访): campaigns, pairing, "1+3+1" teams, assignment, visit records that raise
cases, coverage. Start with README.md."""
