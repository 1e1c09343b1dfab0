"""Recoding an action by the clause around it, as CAMEO's coding rules prescribe.

- intent: a planned cooperative action ("will provide a loan", "agreed to build", "plans to
  visit") is an expression of intent, root 03 (PLOVER AGREE); the event keeps
  ``modality = planned``;
- threat: a planned conflictual action ("will impose sanctions", "would boycott") or an
  action made conditional with "unless" ("will withdraw unless ...") is a threat, root 13;
- refusal: an action governed by "refuse", "decline", "reject" or "rule out" is a refusal,
  root 12 ("refused to deploy peacekeepers" is 1224-like, not a deployment);
- halt: a cooperative action governed by "suspend", "halt", "cut", "end", "freeze" is a
  reduction of relations, root 16 ("suspended military aid" is 1622, not aid).
Each table maps the most specific code prefix first (four digits, then three, then two).
"""

from __future__ import annotations

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
THREAT_CODES = {
    "14": "133",
    "16": "131",
    "161": "1313",
    "162": "1311",
    "163": "1312",
    "164": "134",
    "165": "135",
    "166": "136",
    "17": "137",
    "172": "132",
    "18": "1383",
    "19": "1384",
    "191": "1381",
    "192": "1382",
    "20": "1385",
    "12": "130",
    "11": "130",
    "087": "131",
    "0874": "136",
    "08": "130",
}
REFUSAL_CODES = {
    "03": "120",
    "04": "125",
    "05": "120",
    "057": "127",
    "06": "121",
    "061": "1211",
    "062": "1212",
    "07": "122",
    "071": "1221",
    "072": "1222",
    "073": "1223",
    "074": "1224",
    "08": "124",
    "081": "1241",
    "082": "1242",
    "083": "123",
    "084": "1243",
    "085": "1244",
    "086": "1245",
    "087": "1246",
    "10": "120",
    "02": "120",
    "045": "126",
    "039": "126",
}
HALT_CODES = {
    "03": "160",
    "04": "164",
    "046": "164",
    "045": "165",
    "039": "165",
    "05": "161",
    "06": "160",
    "07": "162",
    "071": "1621",
    "072": "1622",
    "073": "1623",
    "074": "166",
}
REFUSAL_HEADS = {"refuse", "decline", "reject", "rule", "balk", "resist", "spurn"}
HALT_HEADS = {
    "suspend",
    "halt",
    "cut",
    "end",
    "freeze",
    "stop",
    "cancel",
    "terminate",
    "discontinue",
    "scrap",
    "curtail",
    "reduce",
    "break",
    "prohibit",
    "ban",
    "bar",
    "block",
    "withhold",
    "deny",
}


def _lookup(table: dict[str, str], code: str) -> str | None:
    for length in (4, 3, 2):
        if code[:length] in table:
            return table[code[:length]]
    return None


def intent_code(code: str) -> str:
    """The CAMEO intent code for a cooperative action code (04-08), else the code unchanged."""
    if code[:2] not in {"04", "05", "06", "07", "08"}:
        return code
    return _lookup(INTENT_CODES, code) or code


def threat_code(code: str, conditional: bool = False) -> str:
    """The CAMEO threat code for a planned conflictual action (roots 11-20), else unchanged.

    conditional (bool): the action hangs on "unless"; then retreats (08) count as threats too.
    """
    root = code[:2]
    if root in {"13", "15"} or (root < "11" and not (conditional and root == "08")):
        return code
    return _lookup(THREAT_CODES, code) or "130"


def refusal_code(code: str) -> str:
    """The CAMEO rejection code for a refused action (roots 02-10), else unchanged."""
    return _lookup(REFUSAL_CODES, code) or code


def halt_code(code: str) -> str:
    """The CAMEO reduce-relations code for a halted cooperative action (03-07), else unchanged."""
    return _lookup(HALT_CODES, code) or code
