import sys

from xl_awards.cli import main

sys.exit(main())
