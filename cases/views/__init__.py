"""Pages of a young person's record, one module per part of the pathway."""
