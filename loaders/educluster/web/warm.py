"""Imported by the worker forkserver: loads the validator, shapes and vocabulary once so each
validation's worker process starts warm."""

from educluster.convert.inputs import quiet_libraries
from educluster.convert.vocab import load_vocabulary
from educluster.validate import validate_files  # noqa: F401 - imported for the workers
from educluster.validate.engine import load_shapes

quiet_libraries()
load_vocabulary()
load_shapes()
