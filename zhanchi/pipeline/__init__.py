"""The processing of one submission, as plain functions wired in one place.

Prefect flows (zhanchi.flows) only orchestrate these functions; tests call them directly.
"""
