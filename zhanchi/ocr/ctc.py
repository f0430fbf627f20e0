"""How likely a CTC recogniser finds a given text in a line: the forward algorithm.

A CTC recogniser (PP-OCR's rec model) gives, for each of T time steps across the line,
a probability over its characters and a blank. The usual reading takes the most likely
character at each step (greedy decoding). Where the greedy reading is garbled (a pen
written over print, half its strokes lost), the same output still says how well each
*candidate* text fits: the probability of every alignment of that text to the T steps,
summed (Graves et al. 2006). A reference list can then choose among the readings the
line allows, by the recogniser's own evidence rather than by string similarity to a
garbled read.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

BLANK = 0  # index of the CTC blank in PP-OCR's character list


def _extended(labels: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The labels with a blank before, between and after them, and where a step may
    skip the blank before it (onto a character that differs from the one before)."""
    ext = np.full(2 * len(labels) + 1, BLANK, dtype=np.int64)
    ext[1::2] = labels
    skip = np.zeros(len(ext), dtype=bool)
    skip[2:] = (ext[2:] != BLANK) & (ext[2:] != ext[:-2])
    return ext, skip


def _advance(prev: np.ndarray, skip: np.ndarray) -> np.ndarray:
    """One step of the forward recursion, before the step's own emission is added."""
    alpha = prev.copy()
    alpha[1:] = np.logaddexp(alpha[1:], prev[:-1])
    alpha[2:] = np.where(skip[2:], np.logaddexp(alpha[2:], prev[:-2]), alpha[2:])
    return alpha


def log_likelihood(log_probs: np.ndarray, labels: list[int]) -> float:
    """log P(labels | line) under CTC; ``log_probs`` is T × classes (natural log).

    -inf when the line is too short for the text (fewer steps than it needs).
    """
    if not labels:
        return float(log_probs[:, BLANK].sum())
    ext, skip = _extended(labels)
    emit = log_probs[:, ext]
    alpha = np.full(len(ext), -np.inf)
    alpha[0], alpha[1] = emit[0, 0], emit[0, 1]
    for t in range(1, log_probs.shape[0]):
        alpha = _advance(alpha, skip) + emit[t]
    return float(np.logaddexp(alpha[-1], alpha[-2]))


def log_likelihood_within(log_probs: np.ndarray, labels: list[int]) -> float:
    """log P(labels somewhere in the line): before and after the text each step takes
    its own most likely class (whatever else is inked there: the print beside a
    handwritten blank), so only the steps the text spans are judged against it."""
    best = log_probs.max(axis=1)
    ext, skip = _extended(labels)
    emit = log_probs[:, ext]
    alpha = np.full(len(ext), -np.inf)
    alpha[0], alpha[1] = emit[0, 0], emit[0, 1]
    before = 0.0  # log P of the steps before the text (all free)
    after = -np.inf  # the text done, steps after it free
    for t in range(1, log_probs.shape[0]):
        done = np.logaddexp(alpha[-1], alpha[-2])
        alpha = _advance(alpha, skip)
        before += float(best[t - 1])
        alpha[0] = np.logaddexp(alpha[0], before)  # the text may begin at this step
        alpha[1] = np.logaddexp(alpha[1], before)
        alpha = alpha + emit[t]
        after = np.logaddexp(after, done) + best[t]
    return float(np.logaddexp(after, np.logaddexp(alpha[-1], alpha[-2])))


def greedy_log_prob(log_probs: np.ndarray) -> float:
    """log P of the single most likely path: an upper bound no text's best path exceeds."""
    return float(log_probs.max(axis=1).sum())


def per_character(log_probs: np.ndarray, text: str, index: Mapping[str, int],
                  within: bool = False) -> float | None:
    """How well ``text`` fits the line: its log-likelihood less the greedy path's, per
    character (about 0 for the greedy reading itself, the more negative the worse it
    fits); None when the recogniser has no such character. ``within``: the text may
    lie anywhere in the line, other ink around it (:func:`log_likelihood_within`)."""
    labels = [index.get(c) for c in text]
    if not text or any(lab is None for lab in labels):
        return None
    score = log_likelihood_within if within else log_likelihood
    ll = score(log_probs, [lab for lab in labels if lab is not None])
    return (ll - greedy_log_prob(log_probs)) / len(text)
