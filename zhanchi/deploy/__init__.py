"""Running zhanchi for real: inbox spool, shared results file, parallelism, serving.

Nothing here imports Prefect at module import time; the flows in :mod:`zhanchi.flows`
use these pieces.
"""
