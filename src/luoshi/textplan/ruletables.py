"""Loading the rule tables that live as data files in ``rules/``."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> Any:
    """The parsed JSON rule table ``rules/NAME.json``."""
    ref = resources.files("luoshi.textplan") / "rules" / f"{name}.json"
    return json.loads(ref.read_text(encoding="utf-8"))
