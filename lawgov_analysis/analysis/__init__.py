"""What the reports talk about: keyword statistics (``keywords``), theme dictionaries (``themes``), topics."""
