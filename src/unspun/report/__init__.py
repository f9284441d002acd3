"""Report: JSON, terminal and self-contained HTML renderings of clean and trace results."""
