"""unspun.web."""
