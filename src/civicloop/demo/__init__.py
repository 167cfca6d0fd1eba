"""demo — deterministic generated data for a district (preset `xuhui`)."""
