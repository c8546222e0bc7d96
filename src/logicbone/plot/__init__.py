"""Figures (matplotlib, imported only when a figure is drawn): one module per kind of figure."""
