"""The error types live in the low package ``errors``; re-exported here for the pipeline's modules."""

from errors import *  # noqa: F401,F403
from errors import __all__  # noqa: F401
