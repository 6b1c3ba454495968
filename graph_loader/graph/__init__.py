"""The graph declared once (labels, keys, properties), and what each letter adds to it: rows, tallies, vectors."""
