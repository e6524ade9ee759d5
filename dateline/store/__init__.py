"""store stage of the Dateline engine."""
