"""unspun.index."""
