"""The checks of SPEC §6: one pure function per review reason, and the routing decision.

>>> from datetime import date
>>> from zhanchi.policy import load_policy
>>> from zhanchi.registry import Registries
>>> ctx = CheckContext(as_of=date(2021, 6, 1), policy=load_policy(date(2021, 6, 1)),
...                    registries=Registries())
>>> checks, reasons, route = decide([], ctx)
>>> route, reasons[:2]
('review', ['missing_certificate', 'missing_commitment_letter'])
"""

from zhanchi.checks.agency import AgencyMatch, match_agency
from zhanchi.checks.agency_match import NameMatcher
from zhanchi.checks.catalogue import CHECKS, decide, run_checks
from zhanchi.checks.context import CheckContext, Packet
from zhanchi.checks.entitlement import add_months
from zhanchi.checks.validity import validate_id_number

__all__ = [
    "CHECKS", "AgencyMatch", "CheckContext", "NameMatcher", "Packet", "add_months", "decide",
    "match_agency", "run_checks", "validate_id_number",
]
