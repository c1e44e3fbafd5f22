"""sales models (none yet)."""
