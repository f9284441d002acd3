"""unspun: trace news articles to their sources and explain what was changed."""

__version__ = "0.1.0"
