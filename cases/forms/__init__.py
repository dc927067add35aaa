"""Forms for a young person's record, one module per part of the pathway.

They parse and validate input only; the rules live in the services."""
