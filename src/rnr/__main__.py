import sys

from rnr.cli import main

sys.exit(main())
