"""Synthetic claim packets with known answers, for samples, tests and evaluation.

>>> from zhanchi.synth import generate_corpus  # doctest: +SKIP
>>> manifest = generate_corpus(Path("corpus"), n_packets=50, seed=1)  # doctest: +SKIP
"""

from zhanchi.synth.corpus import CorpusManifest, PacketRecord, build_corpus, generate_corpus
from zhanchi.synth.defects import ALL_DEFECT_NAMES, DEFECTS
from zhanchi.synth.packet import PacketPlan
from zhanchi.synth.sample_set import generate_sample_set

__all__ = [
    "ALL_DEFECT_NAMES",
    "DEFECTS",
    "CorpusManifest",
    "PacketPlan",
    "PacketRecord",
    "build_corpus",
    "generate_corpus",
    "generate_sample_set",
]
