"""Reads of staff on duty, one module per topic."""
