"""Figures from a results folder: each module draws one kind of figure."""
