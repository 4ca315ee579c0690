"""Spaced repetition: fsrs scheduling, the queue, the study session, answer grading, statistics."""
