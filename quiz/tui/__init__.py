"""The Textual study app. Only this package (and quiz/commands/study.py) imports Textual."""
