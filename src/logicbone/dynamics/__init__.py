"""Update schemes and the compiled successor kernels of the explicit state space."""
from .update import Update

__all__ = ["Update"]
