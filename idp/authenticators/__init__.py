"""Authentication methods, as plugins behind one contract (STYLE rule 5)."""
