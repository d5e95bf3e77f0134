"""sluice's own Python support for pipeline files: the registry of datasets and flows,
SQL text helpers and errors. Not an API for users."""
