"""Verifying the machine exhaustively under one policy, on the table itself.

Every reachable configuration of one order is explored through the compiled machine, with
every choice the world could make (each actor's trigger with each class of payload, each
timer at its moment) and time as zones over the order's recorded instants, so one
configuration stands for every day on which the same choices could be made. The
properties of `machine.proof.properties` are checked on the explored graph; a broken
one comes with its shortest trace, made concrete on whole days and told as a story
(`machine.proof.story`), or written as a pytest.

    from machine import verify
    result = verify(policy, properties=["money_balances"])
    assert result.held, result.verdicts
"""

from machine.proof.checker import Verdict, Verification, verify
from machine.proof.properties import PROPERTIES, Property

__all__ = ["PROPERTIES", "Property", "Verdict", "Verification", "verify"]
