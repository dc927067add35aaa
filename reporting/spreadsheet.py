"""Text cells a spreadsheet will not run as a formula (CSV injection): names, identifiers and
labels in csafe's CSV files are typed by people, so any that starts like a formula is written
with a leading apostrophe, which spreadsheets show as text and do not display."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_START) else text
