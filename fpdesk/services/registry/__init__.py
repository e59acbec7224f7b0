"""The registry: households and their members, divisions, search."""
