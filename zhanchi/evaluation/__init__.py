"""Measuring the pipeline against generated packets with known answers (``zhanchi eval``)."""

from zhanchi.evaluation.score import EvalReport, score_run

__all__ = ["EvalReport", "score_run"]
