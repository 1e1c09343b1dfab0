"""Measured coding accuracy: read gold data, code it, score it (docs/evaluation.md)."""

from dyad.evaluation.gold import GoldCase, GoldEvent, read_gold
from dyad.evaluation.score import Scores, evaluate

__all__ = ["GoldCase", "GoldEvent", "Scores", "evaluate", "read_gold"]
