"""Facts -> items: the facts loader, wording helpers, templates per relation, the generator."""
