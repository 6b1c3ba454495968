"""Diagnosis phrases to ICD-10-CM codes."""
