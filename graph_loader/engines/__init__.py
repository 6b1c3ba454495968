"""Parsing at scale: JSON Lines shards, locally or on a Dask cluster."""
