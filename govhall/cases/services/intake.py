"""Intake at the window and online submission (SPEC §6). OWNER: helper H1 (engine).

CONTRACT (signatures are fixed; other helpers code against them):

@dataclass(frozen=True)
class ApplicantData:
    kind: str                 # ApplicantKind value
    name: str
    id_number: str            # ID number (person) or USCC (enterprise); validated
    phone: str                # mobile phone; validated
    legal_representative: str = ""
    contact_name: str = ""

@dataclass(frozen=True)
class MaterialCheck:
    material_id: int          # catalog Material of the item
    received: bool
    form: str = "original"    # Material.Form value
    copies: int = 1
    pending: bool = False     # green channel: accepted with this material pending

class Outcome(models.TextChoices): IMMEDIATE, PROMISED, JOINT, ESCALATED, SUPPLEMENT, RETURNED

@dataclass(frozen=True)
class Proposal:
    outcome: str              # Outcome value proposed by SPEC §6 rules
    reasons: list[str]        # human explanation (translated)
    missing_main: list[Material]
    missing_other: list[Material]

def propose_outcome(*, item: ServiceItem, window: Window | None, checks: list[MaterialCheck],
                    green_channel: bool = False) -> Proposal
def applicant_upsert(*, data: ApplicantData) -> Applicant      # validates, raises ValidationError
def case_receive(*, actor: User, item: ServiceItem, window: Window, applicant: ApplicantData,
                 materials: list[MaterialCheck], outcome: str, outcome_reason: str = "",
                 green_channel: bool = False, pending_due_on: date | None = None,
                 reason: str = "", basis: str = "",
                 escalate_to: Center | None = None, forward_by: date | None = None,
                 joint_departments: list[Department] | None = None,
                 idempotency_key: str | None = None,
                 at: datetime | None = None) -> Case
def case_submit_online(*, actor: User, item: ServiceItem, applicant: ApplicantData,
                       materials: list[MaterialCheck], idempotency_key: str | None,
                       at: datetime | None = None) -> tuple[Case, bool]   # (case, created)
"""
