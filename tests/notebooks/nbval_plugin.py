"""pytest plugin for nbval runs: leave stderr out of the comparison, deliberately.

nbval compares every output of a cell; a stream on stderr (a new deprecation warning
from a dependency, a kernel notice) would fail a cell whose numbers are right.  The
notebooks keep stderr clean (and unit tests turn wfkit's warnings into errors), so the
comparison covers stdout, text and HTML tables only.  Chart and widget cells are tagged
``nbval-ignore-output`` (Altair ids are random; widget views are skipped by nbval).
"""

from __future__ import annotations

from nbval.plugin import IPyNbCell

_compare = IPyNbCell.compare_outputs


def _no_stderr(outputs):
    return [
        o for o in outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
    ]


def compare_outputs(self, test, ref, skip_compare=None):
    return _compare(self, _no_stderr(test), _no_stderr(ref), skip_compare)


IPyNbCell.compare_outputs = compare_outputs
