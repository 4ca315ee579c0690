"""Deck files: the model (Deck, Item), cloze syntax, the YAML reader, loader/validator, cache, library."""
