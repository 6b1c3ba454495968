"""Reading Cypher without running it, for the tests that check queries against the graph declaration
(graph_loader/graph/declaration.py): a variable's label or relationship type comes from its pattern
(`(x:Diagnosis)`, or the declared end of the relationship it hangs from), scoped per COLLECT / EXISTS /
COUNT subquery; a CALL subquery's variables are also the query's around it, as CALL returns them."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from graph_loader.graph.schema_types import GraphSchema, Prop

Owners = dict[str, set[str]]


def declared(schema: GraphSchema, owner: str) -> set[str]:
    """A label's key and properties, or a relationship type's properties (none for an unknown one)."""
    for n in schema.nodes:
        if n.label == owner:
            return {n.key.name, *(p.name for p in n.props)}
    return {p.name for r in schema.relationships if r.type == owner for p in r.props}


def with_prop(schema: GraphSchema, owner: str, name: str) -> GraphSchema:
    """The schema with one more string property on a label."""
    nodes = tuple(replace(n, props=(*n.props, Prop(name))) if n.label == owner else n for n in schema.nodes)
    return replace(schema, nodes=nodes)


def without_prop(schema: GraphSchema, owner: str, name: str) -> GraphSchema:
    nodes = tuple(
        replace(n, props=tuple(p for p in n.props if p.name != name)) if n.label == owner else n
        for n in schema.nodes
    )
    return replace(schema, nodes=nodes)


_SUBQUERY = re.compile(r"\b(COLLECT|EXISTS|COUNT|CALL)\s*(?:\([^()]*\)\s*)?\{")
_NODE = r"\((\w*)(?::(\w+))?[^()]*\)"
_STEP = re.compile(rf"(?={_NODE}(<?)-\[(\w*)(?::([\w|]+))?[^\]]*\]-(>?){_NODE})")
_LABELLED = re.compile(r"\((\w*):(\w+)\s*(?:\{([^}]*)\})?\)")
_PROPERTY = re.compile(r"(?<![\w.$])([a-z]\w*)\.([a-z_]\w*)")


def close(text: str, start: int) -> int:
    """The index of the bracket closing the one at `start`."""
    depth = 0
    for i in range(start, len(text)):
        depth += text[i] in "([{"
        depth -= text[i] in ")]}"
        if depth == 0:
            return i
    raise ValueError(f"unbalanced: {text[start:]!r}")


def split_subqueries(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The text with its subqueries blanked out, and each subquery's (keyword, body)."""
    own, children, at = [], [], 0
    while m := _SUBQUERY.search(text, at):
        end = close(text, m.end() - 1)
        own.append(text[at : m.end()] + " " * (end - m.end()))
        children.append((m[1], text[m.end() : end]))
        at = end
    return "".join(own) + text[at:], children


def bind(text: str, schema: GraphSchema) -> tuple[Owners, set[str]]:
    """Each variable's labels or relationship types, and every label and type the patterns traverse."""
    found: Owners = defaultdict(set)
    traversed: set[str] = set()
    for var, label, _ in _LABELLED.findall(text):
        traversed.add(label)
        if var:
            found[var].add(label)
    for a, _, left, rvar, rtypes, right, b, _ in _STEP.findall(text):
        for rtype in rtypes.split("|") if rtypes else ():
            traversed.add(rtype)
            rels = [r for r in schema.relationships if r.type == rtype]
            if rvar:
                found[rvar].add(rtype)
            for r in rels:
                start, end = (r.end, r.start) if left and not right else (r.start, r.end)
                traversed |= {start, end}
                if a:
                    found[a].add(start)
                if b:
                    found[b].add(end)
    return found, traversed


def reads(
    cypher: str, schema: GraphSchema, outer: Owners | None = None
) -> tuple[list[tuple[set[str], str]], set[str]]:
    """(owners, property) for every property the text reads of a variable whose owner is known, the
    keys of labelled patterns' maps included; and every label and relationship type it traverses."""
    found: list[tuple[set[str], str]] = []
    traversed: set[str] = set()

    def walk(text: str, scope: Owners) -> None:
        own, children = split_subqueries(re.sub(r"'[^']*'", "''", text))
        local, seen = bind(own, schema)
        for keyword, body in children:
            if keyword == "CALL":  # a CALL subquery's variables are returned to the query around it
                for var, owners in bind(split_subqueries(body)[0], schema)[0].items():
                    local[var] |= owners
        traversed.update(seen)
        scope = {**scope, **local}
        for _, label, props in _LABELLED.findall(own):
            found.extend(({label}, key) for key in re.findall(r"(\w+)\s*:", props))
        found.extend((scope[var], prop) for var, prop in _PROPERTY.findall(own) if var in scope)
        for _, body in children:
            walk(body, scope)

    walk(cypher, dict(outer or {}))
    return found, traversed


def top_level(text: str, word: str) -> int:
    """Where `word` first stands outside every bracket of `text`, or -1."""
    depth = 0
    for i, ch in enumerate(text):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth == 0 and re.match(rf"\b{word}\b", text[i:]) and (i == 0 or not text[i - 1].isalnum()):
            return i
    return -1


def items(body: str) -> list[str]:
    """`body` split at the commas outside every bracket."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "," and depth == 0:
            out.append(body[start:i])
            start = i + 1
    return [*out, body[start:]]
