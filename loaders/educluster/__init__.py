"""educluster: ontology, knowledge base and tools for educational clusters.

Importing this package is cheap: it imports no RDF library. Each command lives in
its own module (``educluster.build``, ``educluster.check``, ...) exposing
``run(args) -> int``; ``educluster.cli`` imports them lazily.
"""

__version__ = "0.1.0"
