"""The processing of a batch as plain functions: the stages, in order, are listed in
:mod:`zhanchi.pipeline.stages`; :mod:`zhanchi.pipeline.batch` holds the run's state.

Prefect flows (zhanchi.flows) only orchestrate these functions; tests call them directly.
"""
