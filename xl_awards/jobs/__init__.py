"""One function per command and button: read (io) -> core -> write (io).
May import the core and io; never excel or demo.

Each command module has ``add_arguments(parser)`` and ``run(args) -> exit code``;
the work itself is a function the buttons call too.
"""
