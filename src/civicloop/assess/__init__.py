"""Assessment (考核评比): indicator sets, evaluation runs that explain every point, gold/silver/bronze.

Start at README.md. The vocabulary is in constants.py; the scoring rules (pure) in rules.py.
"""
