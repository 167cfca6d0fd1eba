"""imports — Excel/CSV import of places, units and staff: templates, dry runs, row-level errors, all or nothing."""
