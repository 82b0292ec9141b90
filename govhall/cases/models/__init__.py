"""Cases (办件) from receipt to archive (SPEC §6), one module per topic: the case, its applicant,
materials, notices, joint review, fees, the number counter and progress inquiries.

The statuses and kinds live in `govhall.cases.statuses`.
"""

from govhall.cases.models.applicants import Applicant
from govhall.cases.models.bundles import CaseBundle
from govhall.cases.models.case import Case, CaseQuerySet
from govhall.cases.models.departments import CaseDepartment
from govhall.cases.models.fees import CaseFee
from govhall.cases.models.joint import JointMeeting, JointProposal, JointTask
from govhall.cases.models.library import ApplicantMaterial
from govhall.cases.models.licences import ElectronicLicence
from govhall.cases.models.materials import CaseMaterial
from govhall.cases.models.notices import Notice
from govhall.cases.models.numbers import CaseNumberCounter
from govhall.cases.models.prereview import PrereviewTask
from govhall.cases.models.progress import ProgressLookup

__all__ = [
    "Applicant",
    "ApplicantMaterial",
    "Case",
    "CaseBundle",
    "CaseDepartment",
    "CaseFee",
    "CaseMaterial",
    "CaseNumberCounter",
    "CaseQuerySet",
    "ElectronicLicence",
    "JointMeeting",
    "JointProposal",
    "JointTask",
    "Notice",
    "PrereviewTask",
    "ProgressLookup",
]
