"""routing — routing suggestions at triage (category and lead unit, learned from the district's closed cases) and
jurisdiction disputes (职责不清: categories and places whose cases bounce between units). See README.md."""
