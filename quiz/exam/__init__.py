"""Self-test: an exam sitting and its result, and the plain (non-TUI) runner."""
