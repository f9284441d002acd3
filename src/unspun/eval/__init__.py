"""Evaluation: the PAN measures, detectors to compare, and the PAN-13 and benchmark harness."""
