"""Every change to a case goes through these modules (SPEC §6)."""
