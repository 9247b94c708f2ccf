from django import template

register = template.Library()


@register.simple_tag
def anchor_at(anchors: dict | None, section_index: int, child_index: int | None = None) -> str:
    """The anchor the outline gave to a body block (see ``outline.build_outline``)."""
    return (anchors or {}).get((section_index, child_index), "")


@register.filter
def indent_level(number: str) -> int:
    """Depth of a clause number as printed: 1 for "7.2", 2 for "3.1.5"."""
    parts = [p for p in (number or "").strip().rstrip(".").split(".") if p]
    return max(len(parts) - 1, 1)
