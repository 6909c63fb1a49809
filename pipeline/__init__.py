"""Chinese policy texts → a versioned Frictionless Data Package."""

__version__ = "0.2.0"
