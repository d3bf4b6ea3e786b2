"""The sweep run kind (``rnr.kinds``): a grid's settings; no single model to view or export."""

from __future__ import annotations

from rnr.kinds import RunKind
from rnr.sweep import SweepConfig, check_stored, stored_settings

RUN_KIND = RunKind("sweep", SweepConfig, stored_settings=stored_settings, check_stored=check_stored)
