"""Shared fixtures."""

from __future__ import annotations

import pytest

from machine import Policy
from tests.helpers import Driver


@pytest.fixture
def drive():
    """A factory of drivers: drive(policy=None, **order attributes)."""
    made: list[Driver] = []

    def factory(policy: Policy | None = None, **order: object) -> Driver:
        driver = Driver(policy, **order)
        made.append(driver)
        return driver

    yield factory
    for driver in made:  # every order a test drives must still satisfy the invariants
        driver.check()
