"""Widget builders (return ipywidgets; never display as a side effect)."""
