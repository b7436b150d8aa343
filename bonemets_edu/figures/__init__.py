"""Figure builders (return matplotlib Figures; no display side effects)."""
