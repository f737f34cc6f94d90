"""huey jobs of the risk app: the nightly recompute of every enterprise, village and town colour (issue 9 item 5).

It runs at 03:30 local time, after the hazards' nightly recount (03:10, anjian.hazards.tasks.recount_hazards) and
before anyone works, and reads the overdue flags the morning job (07:30) set the day before. It is idempotent: a run
over unchanged data writes no row and no AuditEvent (anjian.risk.services_colours.recompute_all).
"""

from __future__ import annotations

import datetime as dt

from huey.contrib.djhuey import db_periodic_task

from anjian.hazards.tasks import at_local
from anjian.risk.services_colours import recompute_all

RUN_TIME = dt.time(3, 30)


@db_periodic_task(at_local(RUN_TIME))
def recompute_colours() -> dict[str, int]:
    run = recompute_all()
    return {"enterprises": run.enterprises, "created": run.created, "updated": run.updated,
            "enterprise_changes": run.enterprise_changes, "regions": run.regions,
            "region_changes": run.region_changes}
