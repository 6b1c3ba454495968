"""The Cypher the API runs: named queries, filter compilation, pagination, read-only access."""
