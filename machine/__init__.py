"""The buyer-protection dispute process as an explicit state machine.

No clock, no randomness, no SimPy: a guard is a pure function of the order, the policy and
the time it is given. `sim` drives this package; this package never imports `sim`.
"""

from machine.context import Context, Payload
from machine.dispatch import FAST, FastProcess
from machine.invariants import Event, InvariantError, check
from machine.journal import Journal
from machine.order import DisputeRequest, Order, Party, Reason, RequestKind
from machine.policy import Policy, PolicyError
from machine.presets import PRESETS, preset
from machine.process import PROCESS, Process, TimeWentBackwardsError
from machine.proof import Verification, verify  # last: it builds on the machine above
from machine.table import END_STATES, INITIAL, STATE_NAMES, STATES, TRANSITIONS, TRIGGERS

__all__ = [
    "END_STATES",
    "FAST",
    "INITIAL",
    "PRESETS",
    "PROCESS",
    "STATES",
    "STATE_NAMES",
    "TRANSITIONS",
    "TRIGGERS",
    "Context",
    "DisputeRequest",
    "Event",
    "FastProcess",
    "InvariantError",
    "Journal",
    "Order",
    "Party",
    "Payload",
    "Policy",
    "PolicyError",
    "Process",
    "Reason",
    "RequestKind",
    "TimeWentBackwardsError",
    "Verification",
    "check",
    "preset",
    "verify",
]
