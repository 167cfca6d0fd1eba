"""A throwaway app added the way "How to add an app" (docs/architecture.md) says — its own package plus one line in
INSTALLED_APPS (`settings.py` here) — to prove that no central file needs an edit (tests/test_add_an_app.py)."""
