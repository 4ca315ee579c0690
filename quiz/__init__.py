"""quiz: spaced-repetition study and self-test in the terminal."""

__version__ = "0.1.0"
