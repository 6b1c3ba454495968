"""Loading: letters (files or parse output) -> rows -> Neo4j, by batched UNWIND or the bulk importer."""
