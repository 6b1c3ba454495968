"""The vocabulary the graph's declaration (declaration.py) is written in: typed properties, labels,
relationship types, full-text and vector indexes, and the schema that holds them. Kept apart so the
declaration itself reads as the graph's shape and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PropType = Literal["string", "long", "boolean", "double", "string[]", "long[]", "double[]", "byte[]"]
Scope = Literal["letter", "shared", "tally", "dataset", "journal"]


@dataclass(frozen=True)
class Prop:
    name: str
    type: PropType = "string"
    doc: str = ""
    # Its values may hold line breaks (the letter text): the bulk importer must read the file that
    # holds it with its multi-line reader (graph_loader/load/bulk/csv_format.py says which one).
    multiline: bool = False

    @property
    def csv_header(self) -> str:
        # The importer reads an untyped column as a string.
        return self.name if self.type == "string" else f"{self.name}:{self.type}"


@dataclass(frozen=True)
class NodeType:
    label: str
    key: Prop
    scope: Scope
    doc: str
    props: tuple[Prop, ...] = ()
    # Range indexes for the properties filters and sorts use; a tuple is one composite index, whose
    # first property an equality fixes and whose next ones it then yields in order.
    indexed: tuple[str | tuple[str, ...], ...] = ()
    constraint: str = ""

    @property
    def constraint_name(self) -> str:
        return self.constraint or snake(self.label) + "_key"

    @property
    def file(self) -> str:
        """The CSV file (and row list) name: the label in snake case."""
        return snake(self.label)


@dataclass(frozen=True)
class RelType:
    type: str
    start: str
    end: str
    scope: Scope
    doc: str
    props: tuple[Prop, ...] = ()

    @property
    def file(self) -> str:
        return self.type.lower()


@dataclass(frozen=True)
class FulltextIndex:
    name: str
    label: str
    props: tuple[str, ...]


@dataclass(frozen=True)
class VectorIndex:
    name: str
    label: str
    prop: str
    dimensions: int
    similarity: str = "cosine"
    # Lucene's int8 quantization (Neo4j's default since 5.23) ranks candidates by the quantized
    # vectors: the hashed vectors' small differences are lost in it and many candidates come out in
    # the wrong order (docs/benchmarks.md: overlap@10 0.75 with it, 0.96 without, at 100k).
    quantization: bool = False
    # HNSW's candidate list while building (Neo4j's default 100). At 1M letters, 50 builds the index
    # in 46 s against 79 s (most of the bulk load's index step) and keeps overlap@10 with the exact
    # score at 0.90 against 0.94 (docs/benchmarks.md, 2026-12-07, third session).
    ef_construction: int = 50


@dataclass(frozen=True)
class GraphSchema:
    nodes: tuple[NodeType, ...]
    relationships: tuple[RelType, ...]
    fulltext: tuple[FulltextIndex, ...] = field(default=())
    vector: tuple[VectorIndex, ...] = field(default=())

    def node(self, label: str) -> NodeType:
        for n in self.nodes:
            if n.label == label:
                return n
        raise KeyError(label)

    def rel(self, rel_type: str) -> RelType:
        for r in self.relationships:
            if r.type == rel_type:
                return r
        raise KeyError(rel_type)


def snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))
