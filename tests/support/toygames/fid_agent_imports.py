"""A module beside the games that the games never import (only the agent does)."""

imported = []


class Marker:
    """Something to check isinstance against."""
