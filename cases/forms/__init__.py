"""Forms for a young person's record, one module per part of the pathway. Parse and validate input only."""
