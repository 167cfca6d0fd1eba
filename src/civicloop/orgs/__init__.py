"""orgs — units, staff accounts with roles, people records without login, and scope (who may see what)."""
