"""The dashboard (数据看板): KPIs defined once (`metrics`), rollups kept from the case event log, the overview.

Start at README.md. Vocabulary: `constants.py`.
"""
