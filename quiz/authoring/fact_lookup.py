"""Find a card's fact in the built-in facts files (data/*.facts.yaml), for the provenance view.

Read lazily, once, only when the user asks where a card comes from. A facts file that is
missing or broken just means no fact text is shown: the deck's fact id and section still are.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from quiz.errors import QuizError
from quiz.paths import builtin_data_dir


@dataclass(frozen=True)
class FactInfo:
    statement: str  # "subject · relation · objects", or the sentence of a "statement" fact
    section: str  # the section's title in the source document
    source: str  # the source document's title


@lru_cache(maxsize=1)
def _facts() -> dict[str, FactInfo]:
    # why: the facts parser (pyyaml, the templates) loads when a source is first shown, not at start-up
    from quiz.authoring.facts import load_topic

    out: dict[str, FactInfo] = {}
    for path in sorted(builtin_data_dir().glob("*.facts.yaml")):
        try:
            topic = load_topic(path)
        except (QuizError, OSError):
            continue
        for f in topic.facts:
            objects = "; ".join(f.objects)
            # a "statement" fact's object is the whole sentence; other relations read subject-first
            statement = objects if f.relation == "statement" else f"{f.subject} · {f.relation.replace('-', ' ')} · {objects}"
            out[f.id] = FactInfo(statement, topic.sections.get(f.section, f.section), topic.source_title)
    return out


def fact_info(fact_id: str) -> FactInfo | None:
    return _facts().get(fact_id)
