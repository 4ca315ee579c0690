"""The store's schema, keyed on ``meta.schema_version``.

``STEPS[n]`` brings a store from version n to n + 1; a new store runs them all. A store whose
version is above ``SCHEMA_VERSION`` was written by a newer quiz and is refused, never touched.
Times are integer microseconds since the epoch (UTC): exact, and cheap to index and compare.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 3

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE decks (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    signature TEXT            -- hash of the deck's item ids + facts at the last sync
);
CREATE TABLE cards (
    id INTEGER PRIMARY KEY,   -- also the fsrs card_id
    deck_id TEXT NOT NULL REFERENCES decks(id),
    item_id TEXT NOT NULL,
    fact TEXT,                -- siblings share a fact
    position INTEGER NOT NULL DEFAULT 0,   -- order in the deck file: new cards come in this order
    state INTEGER NOT NULL DEFAULT 0,      -- 0 new, 1 learning, 2 review, 3 relearning
    step INTEGER,
    stability REAL,
    difficulty REAL,
    due INTEGER,              -- NULL while new
    last_review INTEGER,
    reps INTEGER NOT NULL DEFAULT 0,
    lapses INTEGER NOT NULL DEFAULT 0,
    suspended INTEGER NOT NULL DEFAULT 0,
    buried_until INTEGER NOT NULL DEFAULT 0,
    hidden INTEGER NOT NULL DEFAULT 0,     -- item no longer in its deck: kept, not shown
    UNIQUE (deck_id, item_id)
);
-- The queue reads only these partial, covering indexes: due cards by state and date, new cards
-- in deck order. Suspended and hidden cards are not in them at all.
-- (suspended and hidden are repeated as columns so SQLite sees the indexes as covering.)
CREATE INDEX cards_due ON cards (deck_id, state, due, buried_until, last_review, stability, suspended, hidden)
    WHERE suspended = 0 AND hidden = 0 AND state > 0;
CREATE INDEX cards_new ON cards (deck_id, position, buried_until, suspended, hidden, state)
    WHERE suspended = 0 AND hidden = 0 AND state = 0;
CREATE INDEX cards_stats ON cards (deck_id, hidden, suspended, state, buried_until);
CREATE INDEX cards_buried ON cards (buried_until, deck_id) WHERE buried_until > 0;

CREATE TABLE revlog (
    id INTEGER PRIMARY KEY,
    card_id INTEGER NOT NULL REFERENCES cards(id),
    deck_id TEXT NOT NULL,    -- copied from the card: per-deck counts need no join
    time INTEGER NOT NULL,
    rating INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    state_before INTEGER NOT NULL,
    state_after INTEGER NOT NULL,
    before TEXT NOT NULL,     -- CardState JSON, restored by undo
    after TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0
);
-- Covering for every count by day (limits, stats): the JSON columns are never read for them.
CREATE INDEX revlog_time ON revlog (time, undone, deck_id, state_before, rating);
CREATE INDEX revlog_card ON revlog (card_id, id);
-- Append-only: rows are never deleted, and only the undone flag may change.
CREATE TRIGGER revlog_no_delete BEFORE DELETE ON revlog
    BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
CREATE TRIGGER revlog_no_update
    BEFORE UPDATE OF id, card_id, deck_id, time, rating, duration_ms, state_before, state_after, before, after
    ON revlog BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;

CREATE TABLE exams (
    id INTEGER PRIMARY KEY,
    started TEXT,
    finished TEXT,
    decks TEXT NOT NULL DEFAULT '[]',      -- JSON list of deck ids
    correct INTEGER NOT NULL,
    total INTEGER NOT NULL,
    percent REAL NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'      -- JSON
);
"""

# Version 2: a card per (deck, item, ord), as Anki makes cards from a note: a reverse item
# has two (0 = description -> term, 1 = term -> description), a cloze one per cN (ord N - 1).
#
# How history is kept: SQLite cannot drop the old UNIQUE (deck_id, item_id), so the table is
# rebuilt: its rows are copied aside, the table re-created with ``ord`` and UNIQUE (deck_id,
# item_id, ord), and every row copied back with its own id and ord 0. revlog.card_id points at
# those ids, so each existing card keeps its schedule and review log as card 0 (the reverse
# item's card as quiz asked it until now, the cloze's c1 card). Foreign keys stay on: they are
# deferred for the step, and the commit fails (rolling it all back) if any review lost its
# card. The decks' signatures are cleared so the next sync adds the new cards (reverse card 1,
# c2...), new and with no history. A cloze without a c1 keeps its old row as a hidden card 0
# (never deleted; it comes back if c1 is added).
# ``mixed`` is the rank of a new card in the interleaved order (quiz.decks.order), filled at sync.
_V2 = """
PRAGMA defer_foreign_keys = ON;
CREATE TABLE cards_v1 AS SELECT * FROM cards;
DROP TABLE cards;
CREATE TABLE cards (
    id INTEGER PRIMARY KEY,   -- also the fsrs card_id
    deck_id TEXT NOT NULL REFERENCES decks(id),
    item_id TEXT NOT NULL,
    ord INTEGER NOT NULL DEFAULT 0,        -- which card of the item (Anki's card ordinal)
    fact TEXT,                -- sibling key: cards sharing it are buried together
    position INTEGER NOT NULL DEFAULT 0,   -- deck order of the card
    mixed INTEGER NOT NULL DEFAULT 0,      -- interleaved order of the card (new cards)
    state INTEGER NOT NULL DEFAULT 0,      -- 0 new, 1 learning, 2 review, 3 relearning
    step INTEGER,
    stability REAL,
    difficulty REAL,
    due INTEGER,              -- NULL while new
    last_review INTEGER,
    reps INTEGER NOT NULL DEFAULT 0,
    lapses INTEGER NOT NULL DEFAULT 0,
    suspended INTEGER NOT NULL DEFAULT 0,
    buried_until INTEGER NOT NULL DEFAULT 0,
    hidden INTEGER NOT NULL DEFAULT 0,     -- item (or card) no longer in its deck: kept, not shown
    UNIQUE (deck_id, item_id, ord)
);
INSERT INTO cards (id, deck_id, item_id, ord, fact, position, mixed, state, step, stability, difficulty, due,
                   last_review, reps, lapses, suspended, buried_until, hidden)
    SELECT id, deck_id, item_id, 0, fact, position, position, state, step, stability, difficulty, due,
           last_review, reps, lapses, suspended, buried_until, hidden FROM cards_v1;
DROP TABLE cards_v1;
CREATE INDEX cards_due ON cards (deck_id, state, due, buried_until, last_review, stability, suspended, hidden)
    WHERE suspended = 0 AND hidden = 0 AND state > 0;
CREATE INDEX cards_new ON cards (deck_id, position, buried_until, suspended, hidden, state)
    WHERE suspended = 0 AND hidden = 0 AND state = 0;
CREATE INDEX cards_mixed ON cards (deck_id, mixed, buried_until, suspended, hidden, state)
    WHERE suspended = 0 AND hidden = 0 AND state = 0;
CREATE INDEX cards_stats ON cards (deck_id, hidden, suspended, state, buried_until);
CREATE INDEX cards_buried ON cards (buried_until, deck_id) WHERE buried_until > 0;
UPDATE decks SET signature = NULL;
"""

# Version 3: what the last Anki import said of a card besides its answers, so that importing
# again brings only what changed in Anki since, and never undoes what the student changed in
# quiz meanwhile (quiz.study.replay). ``anki_mod``: the Anki card's modification time (µs) when
# its state last came across, NULL if it never did; ``anki_suspended``: whether Anki had it
# suspended then.
_V3 = """
ALTER TABLE cards ADD COLUMN anki_mod INTEGER;
ALTER TABLE cards ADD COLUMN anki_suspended INTEGER NOT NULL DEFAULT 0;
"""

STEPS: dict[int, str] = {0: _V1, 1: _V2, 2: _V3}

REQUIRED_TABLES = frozenset({"meta", "decks", "cards", "revlog", "exams"})


def read_version(conn: sqlite3.Connection) -> int | None:
    """The schema version, or None when the database has no quiz meta table."""
    has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
    if not has_meta:
        return None
    row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    if row is None:
        return None
    try:
        return int(row[0])
    except ValueError:
        return None


def migrate(conn: sqlite3.Connection, version: int) -> int:
    """Apply the steps from ``version`` up to SCHEMA_VERSION; the caller holds a write transaction."""
    while version < SCHEMA_VERSION:
        # executescript would commit our transaction: run the statements one at a time instead.
        for stmt in _statements(STEPS[version]):
            conn.execute(stmt)
        version += 1
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(version),),
        )
    return version


def _statements(script: str) -> list[str]:
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        if not buf and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return out
