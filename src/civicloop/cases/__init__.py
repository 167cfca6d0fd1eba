"""cases — the closed loop (工单闭环).

Vocabulary lives in `constants.py` (CaseState, Action, Channel, Urgency, Layer, Satisfaction, …); the allowed
state graph in `transitions.py`; the only writers in `services/`. See README.md.
"""
