"""cases — the closed loop (工单闭环)."""
