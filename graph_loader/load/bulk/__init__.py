"""The bulk path for first loads: CSV files for `neo4j-admin database import`, then the import."""
