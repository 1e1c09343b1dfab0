"""Planned cooperative actions are coded as intentions (CAMEO root 03, PLOVER AGREE).

CAMEO codes "Japan will provide a loan", "agreed to build a plant" and "pledged to hold
talks" as expressions of intent, not as the action itself: the action has not happened. The
event keeps ``modality = planned`` and the pattern that found the action.
"""

from __future__ import annotations

# Most specific first: a four- or three-digit action code, then its root.
INTENT_CODES = {
    "061": "0311",
    "062": "0312",
    "063": "0313",
    "064": "0314",
    "06": "031",
    "071": "0331",
    "072": "0332",
    "073": "0333",
    "074": "0334",
    "07": "033",
    "081": "0351",
    "082": "0352",
    "083": "0342",
    "084": "0353",
    "085": "0354",
    "086": "0355",
    "087": "0356",
    "08": "035",
    "05": "032",
    "057": "030",
    "04": "036",
}


def intent_code(code: str) -> str:
    """The CAMEO intent code for a cooperative action code (04-08), else the code unchanged."""
    for length in (3, 2):
        if code[:length] in INTENT_CODES:
            return INTENT_CODES[code[:length]]
    return code
