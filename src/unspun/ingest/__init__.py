"""unspun.ingest."""
