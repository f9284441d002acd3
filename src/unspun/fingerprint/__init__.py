"""unspun.fingerprint."""
