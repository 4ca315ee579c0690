"""Our SQLite store: the only package that speaks SQL to it; file checks, migrations, backup."""
