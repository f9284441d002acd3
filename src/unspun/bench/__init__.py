"""unspun.bench."""
