"""Loading: letters (files or parse output) -> rows -> Neo4j, by batched UNWIND or the bulk importer."""

# Letters per write transaction. The tallies are summed per transaction, so a larger batch writes
# fewer cells per letter (20,000 synthetic letters: 82-89 s at 500, 75-79 at 1,000, 63-71 at 2,500, 66
# at 5,000; docs/benchmarks.md); 2,500 keeps the loader near 560 MB and a batch inside a 2 GB heap.
DEFAULT_BATCH_SIZE = 2500
