"""core — what every app shares: the one error type, the tenant key, masking of personal data."""
