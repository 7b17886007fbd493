"""What really happened to an order, whatever the platform sees (for outcome measures)."""

from __future__ import annotations

from enum import IntEnum


class Truth(IntEnum):
    """The ground truth of an order, decided when it is created."""

    OK = 0
    NOT_SHIPPED = 1  # the seller never ships (L4)
    FAKE_TRACKING = 2  # shipped on paper only: fake or reused tracking (L7)
    LOST = 3  # lost by the carrier (L7)
    DAMAGED = 4  # arrived damaged (D1)
    NOT_AS_DESCRIBED = 5  # arrived, but not as described (D1)

    @property
    def arrives(self) -> bool:
        """Whether the goods physically reach the buyer (if the buyer collects them)."""
        return self in (Truth.OK, Truth.DAMAGED, Truth.NOT_AS_DESCRIBED)

    @property
    def problem(self) -> bool:
        """Whether the buyer has a real grievance."""
        return self is not Truth.OK


TRUTHS = tuple(truth.name.lower() for truth in Truth)
