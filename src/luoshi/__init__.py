"""luoshi (落实): from published work plans to delivered results."""

__version__ = "0.1.0"
