"""unspun.align."""
