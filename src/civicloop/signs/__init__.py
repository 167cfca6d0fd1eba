"""City vital signs (城市生命体征 / 感知预警): sensors report readings, rules raise alarms, an alarm a person must act on
becomes one case of the loop (channel = sensor). Vocabulary: constants.py; start with README.md."""
