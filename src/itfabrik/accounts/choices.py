# Role codes are a leaf of the whole platform (core); accounts keeps the name for its own use.
from itfabrik.core.roles import Role

__all__ = ["Role"]
