"""Optional learned components (sentence embeddings + a linear event-type classifier).

Everything here is optional: without the ``embed`` extra, dyad codes with rules alone.
"""
