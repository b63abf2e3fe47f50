"""`python -m dashboard` runs the same console script as `support-dashboard`."""

import sys

from dashboard.cli import main

sys.exit(main())
