"""One screen per module; each keeps its styles in a .tcss file of the same name."""
