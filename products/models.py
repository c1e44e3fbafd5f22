"""products models (none yet)."""
