"""The pages of context records: the list, opening a context (details, then a check page with
the name and any duplicates), the context page, changing details, closing, reopening and the
chronology. Who may open each page (any practitioner or team manager works on contexts, a
service manager reads them, an administrator sees none, the anonymous sign in), what each
shows and saves, and the messages for refused input with nothing half-saved.

And the privacy invariant: whoever reads them, and whatever they may see elsewhere, no context
page carries a linked young person's name, identifier, date of birth or a link to their
record."""
