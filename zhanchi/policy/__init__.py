"""The subsidy rules as versioned data (``policy.toml``) and their loader."""

from zhanchi.policy.loader import load_policies, load_policy, policy_by_version
from zhanchi.policy.model import AgencyMatching, Confidence, NumberRule, Policy, QualitySampling

__all__ = [
    "AgencyMatching", "Confidence", "NumberRule", "Policy", "QualitySampling", "load_policies",
    "load_policy", "policy_by_version",
]
