"""Guideline citations: split, resolved to the catalog, its chapters and sections."""
