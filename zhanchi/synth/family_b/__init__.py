"""Family B: a second, independent generator of claim packets, for honest evaluation.

Same content model as family A (persons, certificates, SPEC fields, defects, registry,
expected JSON), different everything else: layouts, typefaces, hands, seals,
fingerprints, captures, extra pages, plus near-miss defects. Tune on A only; see the
rule in ``zhanchi/synth/README.md``.

>>> from zhanchi.synth.family_b import generate_corpus_b  # doctest: +SKIP
>>> manifest = generate_corpus_b(Path("corpus_b"), 40, seed=1234)  # doctest: +SKIP
"""

from zhanchi.synth.family_b.corpus import FAMILIES, generate_corpus_b

__all__ = ["FAMILIES", "generate_corpus_b"]
