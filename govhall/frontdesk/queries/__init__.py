"""Composed reads of the front desk: follow-ups, rates, the calling console, the board."""
