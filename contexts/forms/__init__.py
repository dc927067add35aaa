"""Forms for context records, one module per part."""
