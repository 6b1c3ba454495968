"""Provisioning and running processes: the local Neo4j server and pid files."""
