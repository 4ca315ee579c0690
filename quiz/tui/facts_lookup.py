"""Find a fact's own text in the built-in facts files, for the provenance view.

Read lazily, once, only when the user asks where a card comes from; any problem with the files
just means no text is shown (the deck's fact id and section are still there).
"""

from __future__ import annotations

from functools import lru_cache

TEXT_KEYS = ("text", "statement", "claim", "fact")


@lru_cache(maxsize=1)
def _facts() -> dict[str, str]:
    import yaml

    from quiz.paths import builtin_data_dir

    out: dict[str, str] = {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted(builtin_data_dir().glob("*.facts.yaml")):
        try:
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        facts = doc.get("facts") if isinstance(doc, dict) else None
        for fact in facts if isinstance(facts, list) else []:
            if not isinstance(fact, dict) or not isinstance(fact.get("id"), str):
                continue
            for key in TEXT_KEYS:
                if isinstance(fact.get(key), str):
                    out[fact["id"]] = fact[key]
                    break
    return out


def fact_text(fact_id: str) -> str | None:
    return _facts().get(fact_id)
