"""wfkit's version, declared here once.

``pyproject.toml`` takes it from here (``[tool.setuptools.dynamic]``, read without
importing wfkit), so the package's metadata, the wheel's name and every output stamped
with it agree.  A literal, not the installed metadata read through
:mod:`importlib.metadata`, which would add about 15 ms to every process's start.
"""

__version__ = "0.3.0"
