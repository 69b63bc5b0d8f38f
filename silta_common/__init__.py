"""The chassis every Silta application is built on; it imports none of them (ARCHITECTURE §2)."""
