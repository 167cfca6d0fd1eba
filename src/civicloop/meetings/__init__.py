"""The regular meeting pack (工作例会): meetings, their agenda built from plans and cases, minutes, decisions that
become a task, a case or a re-dispatch through the owning apps' services. Vocabulary: `constants.py`; start at
README.md."""
