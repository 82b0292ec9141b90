"""Who may take which action on a case, now. OWNER: helper H1 (engine).

CONTRACT:
def available_actions(actor: User, case: Case) -> list[Transition]   # buttons to show
def refusal(actor: User, case: Case, action: str) -> str | None       # why not, translated
"""
