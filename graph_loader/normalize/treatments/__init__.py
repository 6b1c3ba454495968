"""Requested items: treatment, class, category, drugs, quantities, body regions."""
