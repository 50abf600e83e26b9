from passport.models.audit import GLOBAL_CHAIN, AuditChainHead, AuditEvent
from passport.models.conditions import Condition, ConditionKind
from passport.models.entries import Entry, Revision, StaleVersion
from passport.models.passport import CareTeamAssignment, Control, DataKeyRecord, Passport
from passport.models.users import HEALTH_ROLES, Role, User

__all__ = [
    "GLOBAL_CHAIN",
    "HEALTH_ROLES",
    "AuditChainHead",
    "AuditEvent",
    "CareTeamAssignment",
    "Condition",
    "ConditionKind",
    "Control",
    "DataKeyRecord",
    "Entry",
    "Passport",
    "Revision",
    "Role",
    "StaleVersion",
    "User",
]
