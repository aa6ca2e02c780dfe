"""mailroom: intake of e-mailed and posted applications for an exit-entry office."""

__version__ = "0.1.0"
