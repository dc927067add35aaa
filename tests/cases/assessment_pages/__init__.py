"""The assessment pages: who may open each (allowed, 404 for those without access to the
record, sign-in for the anonymous), what each shows and saves, the messages for refused
input, the version conflict that keeps what the user typed, and the authorisation only a
team manager of the holding team may give."""
