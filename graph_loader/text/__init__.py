"""Text-matching machinery shared by the extractors and the normalizers."""
