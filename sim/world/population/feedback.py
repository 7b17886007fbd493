"""Feedback a buyer leaves once an order has ended (F1), and the seller's public score.

What the buyer says follows what happened: a smooth order, a problem the buyer was
refunded for, or a claim that refunded nothing; a buyer who cancelled says nothing. The
chances are parameters of `sim.world.population.settings.Feedback`; the draws were made when the
order was placed (`feedback_u`, `sentiment_u`, `feedback_delay`), so feedback is a pure
function of the order's own end and the same in both engines.
"""

from __future__ import annotations

import numpy as np

from machine.order import Order
from sim.world.population.settings import Feedback

# What happened, as the buyer sees it
CANCELLED, SMOOTH, REFUNDED, UNRESOLVED = range(4)
NEGATIVE, NEUTRAL, POSITIVE = range(3)
SENTIMENTS = ("negative", "neutral", "positive")


def outcome(order: Order) -> int:
    """What happened to a finished order, as its buyer sees it."""
    if order.cancel_requested_at is not None or order.cancelled_at_once:
        return CANCELLED
    if order.refunded > 0:
        return REFUNDED
    return UNRESOLVED if order.disputes_opened else SMOOTH


def sentiment(
    what: np.ndarray | int,
    leaves_u: np.ndarray | float,
    sentiment_u: np.ndarray | float,
    feedback: Feedback,
) -> np.ndarray:
    """The feedback on each order (NEGATIVE, NEUTRAL, POSITIVE; -1: none), from what
    happened and the order's two uniforms."""
    negative = np.array(
        (0.0, feedback.negative_smooth, feedback.negative_refunded, feedback.negative_unresolved)
    )[what]
    gives = (np.asarray(leaves_u) < feedback.leaves) & (np.asarray(what) != CANCELLED)
    u = np.asarray(sentiment_u)
    neutral = u - negative < feedback.neutral_share * (1.0 - negative)
    return np.where(
        gives, np.where(u < negative, NEGATIVE, np.where(neutral, NEUTRAL, POSITIVE)), -1
    ).astype(np.int8)


def score(positive: np.ndarray, negative: np.ndarray, feedback: Feedback) -> np.ndarray:
    """Each seller's public score: the share of positive feedback, with the prior's
    weight in feedback counts (a seller without feedback shows the prior)."""
    prior = feedback.prior_orders
    total = positive + negative + prior
    shown = (positive + prior * feedback.prior_positive) / np.where(total > 0, total, 1.0)
    return np.where(total > 0, shown, feedback.prior_positive)
