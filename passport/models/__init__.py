from passport.models.audit import GLOBAL_CHAIN, AuditChainHead, AuditEvent
from passport.models.care import (
    Area,
    CareEpisode,
    DateOfBirthChange,
    EpisodeOutcome,
    HealthTeam,
    LegalStatus,
    Organisation,
    PlacementType,
    UnknownItem,
    UnknownStatus,
)
from passport.models.conditions import Condition, ConditionKind
from passport.models.entries import PRIVATE_TOPICS, Entry, Revision, StaleVersion, Topic
from passport.models.passport import CareTeamAssignment, Control, DataKeyRecord, Passport
from passport.models.sections import (
    AboutMe,
    Appointment,
    Assessment,
    BirthHistory,
    Contact,
    FamilyHistory,
    ImmunisationDose,
    ImmunisationStatus,
    PlanAction,
    SavedService,
    SdqResult,
    SelfAssessment,
    SexualHealthEntry,
)
from passport.models.services import Need, Service
from passport.models.users import HEALTH_ROLES, Role, User

__all__ = [
    "GLOBAL_CHAIN", "HEALTH_ROLES", "PRIVATE_TOPICS", "AboutMe", "Appointment", "Area",
    "Assessment", "AuditChainHead", "AuditEvent", "BirthHistory", "CareEpisode",
    "CareTeamAssignment", "Condition", "ConditionKind", "Contact", "Control", "DataKeyRecord",
    "DateOfBirthChange", "Entry", "EpisodeOutcome", "FamilyHistory", "HealthTeam",
    "ImmunisationDose", "ImmunisationStatus", "LegalStatus", "Need", "Organisation", "Passport",
    "PlacementType", "PlanAction", "Revision", "Role", "SavedService", "SdqResult",
    "SelfAssessment", "Service", "SexualHealthEntry", "StaleVersion", "Topic", "UnknownItem",
    "UnknownStatus", "User",
]
