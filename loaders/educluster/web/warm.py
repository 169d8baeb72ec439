"""Imported by the worker forkserver: loads the validator, shapes and vocabulary once so each
validation's worker process starts warm, and imports every module a validation reaches before
any worker is bounded in memory.

Why the last part: a module first imported under the worker's address-space bound is compiled
there, and CPython can fail that compile with errors that are not ``MemoryError`` (seen: "field
'target' is required for AnnAssign"), which the service then answered as a failure (500)
instead of "needs more memory" (413)."""

import importlib
import pkgutil

from educluster.convert.inputs import quiet_libraries
from educluster.convert.vocab import load_vocabulary
from educluster.validate import validate_files  # noqa: F401 - imported for the workers
from educluster.validate.engine import load_shapes

quiet_libraries()
load_vocabulary()
load_shapes()

# the readers, the validators and the report formats: every module, whatever an upload holds
for _package in ("educluster.convert", "educluster.validate", "educluster.fastvalidate"):
    for _info in pkgutil.walk_packages(importlib.import_module(_package).__path__, _package + "."):
        importlib.import_module(_info.name)


# what a validation imports only when it runs (the job, the report's serialisers, the readers
# of JSON, JSON-LD, RDF/XML, N-Triples and workbooks, ...); tests/test_web.py validates an
# upload of every accepted format and fails when one imports a module not listed here
for _name in ("educluster.web.job", "educluster.atomic", "educluster.build",
              "educluster.context", "educluster.guards", "educluster.jsonread", "argparse",
              "encodings.utf_8_sig", "encodings.cp437", "html.parser", "mimetypes", "secrets",
              "xml.parsers.expat", "rdflib.compare", "rdflib.plugins.parsers.jsonld",
              "rdflib.plugins.parsers.ntriples", "rdflib.plugins.serializers.turtle",
              "openpyxl", "python_calamine"):
    importlib.import_module(_name)
