"""The pages for the work on a context: assessments and meeting notes, the context plan and its
review date, and the work section of the context page.

Who sees what: every practitioner and team manager (any team) reads and changes; a service
manager reads, and gets 403 on the pages that change (a reader knows the context exists, so
there is nothing to hide with a 404); an administrator, who may not use context records, gets
404; anonymous visitors are sent to sign in. Each rule's message is shown in the GOV.UK error
summary with nothing saved; no page shows a linked child; the record list and the work
section cost the same number of queries with one row as with many."""
