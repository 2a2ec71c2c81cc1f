"""The network of relations around a subject (issue 5, item 5), for the network page, its
JSON, the API and the FollowTheMoney export.

The walk goes out `depth` steps over relations in either direction. Every step is one
query, filtered to relations whose two ends are in `visible` (a subquery): a subject the
user may not see is never a node, and no edge leads to it — the walk does not pass through
it either, so it cannot betray that something lies behind it.
"""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from baken.audit.actions import AuditAction
from baken.audit.services import audit_record

from .models import Relation, Subject
from .relations import INVERSE_LABELS, MAX_DEPTH, MAX_NODES, visible_relations


@dataclass
class Network:
    subject: Subject
    depth: int
    nodes: dict[int, Subject] = field(default_factory=dict)
    edges: dict[int, Relation] = field(default_factory=dict)
    # True when the walk stopped at MAX_NODES: there is more than is shown.
    truncated: bool = False


def clamp_depth(value, default: int = 1) -> int:
    try:
        depth = int(value)
    except (TypeError, ValueError):
        return default
    return max(1, min(depth, MAX_DEPTH))


def walk(*, subject: Subject, depth: int, relations: QuerySet[Relation]) -> Network:
    """Breadth-first from `subject` over `relations` (already scoped to what may be seen):
    `depth` + 1 queries, whatever the size of the network."""
    network = Network(subject=subject, depth=depth, nodes={subject.pk: subject})
    frontier = {subject.pk}
    relations = relations.select_related("source", "target").order_by("pk")
    for _step in range(depth):
        if not frontier:
            break
        found = relations.filter(Q(source__in=frontier) | Q(target__in=frontier)).exclude(
            pk__in=list(network.edges)
        )
        next_frontier: set[int] = set()
        for relation in found:
            new = [e for e in (relation.source, relation.target) if e.pk not in network.nodes]
            if len(network.nodes) + len(new) > MAX_NODES:
                network.truncated = True
                continue
            for end in new:
                network.nodes[end.pk] = end
                next_frontier.add(end.pk)
            network.edges[relation.pk] = relation
        frontier = next_frontier
    # The relations among subjects already shown (two neighbours of one subject) complete
    # the picture without adding subjects: one more query.
    closing = relations.filter(source__in=list(network.nodes), target__in=list(network.nodes))
    for relation in closing.exclude(pk__in=list(network.edges)):
        network.edges[relation.pk] = relation
    return network


def network_of(*, user, subject: Subject, depth: int = 1) -> Network:
    """The network around a subject the user may see (precondition: subject_get), logged
    as a read of every subject it shows."""
    network = walk(subject=subject, depth=depth, relations=visible_relations(user=user))
    audit_record(
        actor=user,
        action=AuditAction.SUBJECT_NETWORK,
        target=subject,
        detail={"depth": depth, "ids": sorted(network.nodes)},
    )
    return network


def network_json(network: Network, *, subject_url=None) -> dict:
    """Nodes and edges in the shape the network page (Cytoscape) and the API share."""
    return {
        "subject": network.subject.pk,
        "depth": network.depth,
        "truncated": network.truncated,
        "nodes": [
            {
                "id": s.pk,
                "name": s.name,
                "kind": s.kind,
                "kind_label": str(s.get_kind_display()),
                **({"url": subject_url(s)} if subject_url else {}),
            }
            for s in network.nodes.values()
        ],
        "edges": [
            {
                "id": r.pk,
                "source": r.source_id,
                "target": r.target_id,
                "kind": r.kind,
                "label": str(r.get_kind_display()),
                "inverse_label": str(INVERSE_LABELS[Relation.Kind(r.kind)]),
                "start_date": r.start_date.isoformat() if r.start_date else None,
                "end_date": r.end_date.isoformat() if r.end_date else None,
            }
            for r in network.edges.values()
        ],
    }
