"""Reads of the harm taxonomy. Reads of a young person's flags are the record's own
(cases/selectors/flags.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from .models import FlagStatus, HarmType


@dataclass
class TaxonomyNode:
    harm_type: HarmType
    depth: int
    path: str
    active_flags: int = 0
    children: list[TaxonomyNode] = field(default_factory=list)


def harm_type_tree(
    *, include_retired: bool = True, with_counts: bool = False
) -> list[TaxonomyNode]:
    """The whole taxonomy as a flat, depth-first list (for tables and indented choices), built
    from one query however deep the tree is. Types still in use under a retired parent stay in
    the list, under their full path. ``with_counts`` adds each type's current flags, an
    aggregate over the flags table: only for the administrators' list, never for forms."""
    queryset = HarmType.objects.order_by("name")
    if with_counts:
        queryset = queryset.annotate(
            active_flags=Count("flags", filter=Q(flags__status=FlagStatus.ACTIVE))
        )
    by_parent: dict[int | None, list[HarmType]] = {}
    for harm_type in queryset:
        by_parent.setdefault(harm_type.parent_id, []).append(harm_type)
    ordered: list[TaxonomyNode] = []

    def walk(parent_id: int | None, depth: int, prefix: str) -> None:
        for harm_type in by_parent.get(parent_id, []):
            path = f"{prefix}{harm_type.name}"
            if include_retired or harm_type.is_active:
                ordered.append(
                    TaxonomyNode(
                        harm_type,
                        depth,
                        path,
                        active_flags=getattr(harm_type, "active_flags", 0),
                    )
                )
            walk(harm_type.pk, depth + 1, f"{path} › ")

    walk(None, 0, "")
    return ordered


def harm_type_choices(*, include_retired: bool = False) -> list[tuple[int, str]]:
    """(id, "Parent › Child") pairs in tree order, for select boxes."""
    return [
        (node.harm_type.pk, node.path) for node in harm_type_tree(include_retired=include_retired)
    ]


def harm_type_current_flag_count(*, harm_type: HarmType) -> int:
    """How many young people carry a current flag of this type (one current flag per type and
    young person, so the flags are the young people). An aggregate: no child is named."""
    return harm_type.flags.filter(status=FlagStatus.ACTIVE).count()
