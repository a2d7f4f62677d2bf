"""Numbers the reports cite: numeral parsing (``numerals``), metric mentions (``metrics``), checks (``audit``)."""
