"""audiobook: turn French text into a chaptered, tagged audiobook."""

__version__ = "0.1.0"
