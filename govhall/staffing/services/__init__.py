"""Changes to staff on duty, one module per topic."""
