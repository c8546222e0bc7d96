"""Analyses: fixed points, attractors, trap spaces, basins, comparison and screens."""
