"""Numbers the reports cite: numeral parsing (``numerals``), metric mentions (``metrics``), the indicator panel
and year-over-year changes (``panel``), arithmetic and cross-report checks (``audit``)."""
