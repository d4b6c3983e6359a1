"""Bulletin kinds: what is specific to one publication (its data, checks and composition)."""
