"""Volunteers and party members who report to the community (双报到): people registered to a community, service
needs posted by committees, sign-up, check-in and check-out, the hours ledger, recognition lists by rule.
Vocabulary: `constants.py`; start at README.md."""
