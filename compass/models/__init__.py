"""The domain models of the Kwaliteitskompas; each module holds one part of the domain."""

from compass.models.assessment import Answer, AnswerValue, SelfAssessment
from compass.models.cycles import Cycle
from compass.models.figures import CbsObservation, ImportRun
from compass.models.organisations import (
    AgreementParticipation,
    Invitation,
    Membership,
    Municipality,
    MunicipalityGroupObjectPermission,
    MunicipalityUserObjectPermission,
    Region,
    Role,
    SharingAgreement,
    TeamEvent,
)

__all__ = [
    "AgreementParticipation",
    "Answer",
    "AnswerValue",
    "CbsObservation",
    "Cycle",
    "ImportRun",
    "Invitation",
    "Membership",
    "Municipality",
    "MunicipalityGroupObjectPermission",
    "MunicipalityUserObjectPermission",
    "Region",
    "Role",
    "SelfAssessment",
    "SharingAgreement",
    "TeamEvent",
]
