"""Cypher and CSV headers generated from the graph declaration: constraints and indexes, the `UNWIND`
write query of every label and relationship type, and the bulk importer's headers."""

from __future__ import annotations

from graph_loader.graph.declaration import GRAPH, TALLY_COUNTERS
from graph_loader.graph.schema_types import GraphSchema, NodeType, RelType, snake


def schema_statements(graph: GraphSchema = GRAPH) -> dict[str, str]:
    """Constraints and indexes, by name, created before any load so every MERGE is an index lookup."""
    out: dict[str, str] = {}
    for n in graph.nodes:
        out[n.constraint_name] = (
            f"CREATE CONSTRAINT {n.constraint_name} IF NOT EXISTS "
            f"FOR (n:{n.label}) REQUIRE n.{n.key.name} IS UNIQUE"
        )
    for n in graph.nodes:
        for indexed in n.indexed:
            props = (indexed,) if isinstance(indexed, str) else indexed
            # `case_number`, not `case_case_number`; `case_year`, `decision_outcome`, `case_age_letter_id`.
            prefix = snake(n.label) + "_"
            joined = "_".join(props)
            name = joined if joined.startswith(prefix) else prefix + joined
            on = ", ".join(f"n.{p}" for p in props)
            out[name] = f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{n.label}) ON ({on})"
    for f in graph.fulltext:
        each = ", ".join(f"n.{p}" for p in f.props)
        out[f.name] = f"CREATE FULLTEXT INDEX {f.name} IF NOT EXISTS FOR (n:{f.label}) ON EACH [{each}]"
    for v in graph.vector:
        out[v.name] = (
            f"CREATE VECTOR INDEX {v.name} IF NOT EXISTS FOR (n:{v.label}) ON (n.{v.prop}) OPTIONS "
            f"{{indexConfig: {{`vector.dimensions`: {v.dimensions}, `vector.similarity_function`: '{v.similarity}', "
            f"`vector.quantization.enabled`: {str(v.quantization).lower()}, "
            f"`vector.hnsw.ef_construction`: {v.ef_construction}}}}}"
        )
    return out


def node_write(n: NodeType) -> str:
    """`UNWIND $rows` writing one label; a row holds the key and every declared property."""
    head = f"UNWIND $rows AS row\nMERGE (n:{n.label} {{{n.key.name}: row.{n.key.name}}})"
    if not n.props:
        return head
    sets = ", ".join(f"n.{p.name} = row.{p.name}" for p in n.props)
    # A letter's own node is rewritten with the letter; a shared node keeps what it was created with.
    return f"{head}\n{'SET' if n.scope == 'letter' else 'ON CREATE SET'} {sets}"


def relationship_write(r: RelType, graph: GraphSchema = GRAPH) -> str:
    """`UNWIND $rows` writing one relationship type; a row holds `src`, `dst` and every property."""
    start, end = graph.node(r.start), graph.node(r.end)
    props = ""
    if r.props:
        props = " {" + ", ".join(f"{p.name}: row.{p.name}" for p in r.props) + "}"
    verb = "CREATE" if r.scope == "letter" else "MERGE"
    return (
        f"UNWIND $rows AS row\n"
        f"MATCH (a:{start.label} {{{start.key.name}: row.src}}), (b:{end.label} {{{end.key.name}: row.dst}})\n"
        f"{verb} (a)-[:{r.type}{props}]->(b)"
    )


def tally_write(n: NodeType) -> str:
    """`UNWIND $rows` adding one batch's counter deltas to one tally label. `SET t.c = t.c + ...` reads
    the counter under the write lock it takes, so concurrent loaders never lose an update; a cell whose
    count (its first counter: decisions, or cases) falls to zero is removed, so the graph equals the one
    a bulk load of the same letters builds."""
    dims = [p for p in n.props if p.name not in TALLY_COUNTERS[n.label]]
    counters = TALLY_COUNTERS[n.label]
    return (
        f"UNWIND $rows AS row\nMERGE (t:{n.label} {{{n.key.name}: row.{n.key.name}}})\n"
        f"ON CREATE SET {', '.join(f't.{p.name} = row.{p.name}' for p in dims)}\n"
        f"SET {', '.join(f't.{c} = coalesce(t.{c}, 0) + row.{c}' for c in counters)}\n"
        f"WITH t WHERE t.{counters[0]} = 0\nDELETE t"
    )


def write_order(graph: GraphSchema = GRAPH) -> tuple[tuple[str, str], ...]:
    """(kind, name) in write order: nodes before the relationships that MATCH them, shared first."""
    order: list[tuple[str, str]] = []
    # Tallies are not rows: tallies.py increments them after the letter's own writes.
    for scope in ("shared", "letter"):
        order += [("node", n.label) for n in graph.nodes if n.scope == scope]
    for scope in ("shared", "letter"):
        order += [("rel", r.type) for r in graph.relationships if r.scope == scope]
    return tuple(order)


def node_header(n: NodeType) -> tuple[str, ...]:
    return (f"{n.key.name}:ID({n.label})", *(p.csv_header for p in n.props))


def relationship_header(r: RelType) -> tuple[str, ...]:
    return (f":START_ID({r.start})", f":END_ID({r.end})", *(p.csv_header for p in r.props))
