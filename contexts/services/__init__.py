"""Every write to context records, one module per part. Shared rules (the thematic-text guard,
the version check, notifying linked practitioners) are in ``_common``."""
