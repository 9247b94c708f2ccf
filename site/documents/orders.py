"""An order's number as Sapa keeps it: without the "№" that every printed form puts before it
(the approval sheet, the editions list, the change notice)."""

from __future__ import annotations

import re

# "№" typed before an order's number, with the spaces around it
NUMBER_SIGN = re.compile(r"^[\s№]+")


def order_number(typed: str) -> str:
    """ "№ 312-Б" -> "312-Б": a number typed with its "№" was printed "№№312-Б"."""
    return NUMBER_SIGN.sub("", typed or "").strip()
