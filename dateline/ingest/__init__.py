"""ingest stage of the Dateline engine."""
