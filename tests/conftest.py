"""Shared fixtures."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from machine import Policy
from tests.helpers import Driver

# CI replays the same examples every run (a submission must not fail on a new random
# draw); a developer's run explores new ones, and a failure found there prints the
# example to keep as a regression test.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


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
