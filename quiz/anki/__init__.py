"""Anki interop: .apkg export and note types, import of .apkg and CSV, HTML to text."""
