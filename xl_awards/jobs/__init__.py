"""One function per button, shared by the Excel button and the command line.

Each command module has ``add_arguments(parser)`` and ``run(args) -> exit code``;
the work itself is a function the buttons call too.
"""
