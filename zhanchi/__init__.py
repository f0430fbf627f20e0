"""zhanchi: reads, checks and routes 展翅行动 skill-upgrade subsidy claim packets."""

__version__ = "0.1.0"
