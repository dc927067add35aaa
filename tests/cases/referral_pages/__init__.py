"""The referral pages: for a young person already known, and for someone new to the service.

Allowed, forbidden (404, so a record's existence does not leak) and anonymous users; a valid
referral shown on the record; bad input shown in the GOV.UK error summary with nothing
saved."""
