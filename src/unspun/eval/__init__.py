"""unspun.eval."""
