"""Bahasa Indonesia names of the rules, for everything a reviewer reads (issue 14).

Partisan, civic, SARA and insult rules alike. Kept in ``classifiers`` because the rules live here and ``classifiers`` imports nothing from
``monitor``; ``monitor.glossary`` re-uses this table so a rule has one name everywhere. Each
rule's own description (rules.py) is the label, so the wording cannot drift between the rule
and the screen.
"""

from __future__ import annotations

from .insults import RULES as INSULT_RULES
from .rules import CIVIC_PATTERNS, _ENTITY_FREE_RULES
from .sara import RULES as SARA_RULES

#: The one rule built outside the rule table: a registry hashtag or slogan found in the post.
_REGISTRY_RULES = {"campaign_term": "tagar atau slogan kampanye terdaftar"}

RULE_LABELS: dict[str, str] = {
    **_REGISTRY_RULES,
    **{rule.id: rule.description for rule in _ENTITY_FREE_RULES},
    **{rule.id: rule.description for rule in CIVIC_PATTERNS},
    **{rule.id: rule.description for rule in SARA_RULES},          # hate (issue 21)
    **{rule: description for rule, _, _, description, _ in INSULT_RULES},   # abusive
}


def rule_label(rule_id: str) -> str:
    """The Bahasa name of a rule; an unknown id still reads as Indonesian, never snake_case."""
    return RULE_LABELS.get(rule_id) or f"aturan lain ({rule_id.replace('_', ' ')})"
