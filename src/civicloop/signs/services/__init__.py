"""The only writers of vital signs: catalogue (metrics, devices, rules), ingest (readings), alarms (evaluation,
acknowledge, escalate)."""
