"""The sweep run kind (``rnr.io.kinds``): a grid's settings; no single model to view or export."""

from __future__ import annotations

from rnr.io.kinds import RunKind
from rnr.sweep.grid import SweepConfig, check_stored, stored_settings

RUN_KIND = RunKind("sweep", SweepConfig, stored_settings=stored_settings, check_stored=check_stored)
