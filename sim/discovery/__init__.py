"""Scenario discovery: where in the space of levers and behaviours a condition holds
(PRIM and CART on the design points of a sweep, with their uncertainty)."""
