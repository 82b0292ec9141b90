"""Changes at the front desk: one module per topic (inquiries, groups, tickets, appointments).
Every function is keyword-only, atomic, validating, and writes an event in its transaction."""
