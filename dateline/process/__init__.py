"""process stage of the Dateline engine."""
