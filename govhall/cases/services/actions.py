"""The one entry point for every action on an existing case. OWNER: helper H1 (engine).

CONTRACT:
def case_act(*, actor: User, case: Case, action: str, expected_version: int | None = None,
             note: str = "", params: dict[str, Any] | None = None,
             at: datetime | None = None) -> Case
"""
