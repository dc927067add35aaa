"""Retention review: rules for how long closed records are kept, the list of records due for a
manager's review, and the manager's decision to keep or erase each one. Nothing is ever erased
automatically, and erasing redacts text in place: no row is deleted."""
