"""The previous engine (before issue 9), measured on the same database.

Run by run.py in a subprocess whose PYTHONPATH is a checkout of the revision before
the facts store (an in-memory SQLite filled by one GROUP BY over MESSAGE in the
support database), so both engines are measured side by side in one run:

    PYTHONPATH=/tmp/previous python benchmarks/previous.py URL RUNS

Prints one JSON object: the first build's seconds (or null when it did not finish
in the time run.py allows), and the median seconds of one view (every report) for
each filter set.
"""

import json
import statistics
import sys
import time

from dashboard.cache import FactsCache  # the previous revision's module
from sqlalchemy import create_engine

from dashboard.filters import Filters
from dashboard.reports import REPORTS

FILTERS = {
    "all tickets": Filters(),
    "a month and a category": Filters(month="2025-03", category="Bug report"),
}


def main() -> int:
    url, runs = sys.argv[1], int(sys.argv[2])
    cache = FactsCache(create_engine(url))
    started = time.perf_counter()
    cache.refresh()
    result = {"build_s": time.perf_counter() - started, "view_s": {}}
    for label, filters in FILTERS.items():
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            for name in REPORTS:
                cache.run(name, filters)
            times.append(time.perf_counter() - started)
        result["view_s"][label] = statistics.median(times)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
