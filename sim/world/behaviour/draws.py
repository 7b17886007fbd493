"""What really happens to each order, drawn when the order is created.

One `numpy.random.SeedSequence` per run is spawned into one stream per actor (market,
seller, buyer, carrier, team, bank). Orders are drawn in blocks of `BLOCK` rows, each
attribute as one vectorised draw, in order of creation. Nothing drawn here depends on the
policy, so two policies run with the same seed see the same orders, sellers, parcels and
decisions (common random numbers), and the world never draws again later.

A block is drawn in two stages: `draw_block` draws what every order needs up to its
delivery; `sim.world.behaviour.dispute_facts` then draws the facts of a cancellation or a dispute
for the orders whose first facts leave room for one (a tenth of them or so), so most
orders never pay for the 56 columns only a dispute reads.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from machine.standards import Standing
from sim.world.population.individuals import People, anonymous_columns
from sim.world.scenario import Scenario

BLOCK = 8_192
STREAMS = (
    "market",
    "seller",
    "buyer",
    "carrier",
    "team",
    "bank",
    "forms",
    "population",
    "adaptation",
)
"""A new stream is added at the end, so that the streams before it draw as they did."""

# Seller answers to a dispute (D7, D8)
AGREE, REJECT, COUNTER, SILENT = range(4)


class Facts(NamedTuple):
    """Everything drawn for one order, read as `facts.transit`, `facts.ships`, ...

    Chances are drawn as outcomes (bool); `*_u` fields are uniforms compared with a
    policy-dependent threshold later; delays and durations are in days.
    """

    # market: who sells, who buys, how it ships, what it costs
    seller: int  # seller profile index
    buyer: int  # buyer profile index
    carrier: int  # shipping method index
    price: int  # item and shipping, cents
    promised: float  # promised delivery time (L5)
    # seller (L2, L4, L7, D7, D8, D11)
    ships: bool  # ships at all (L4)
    fake_tracking: bool  # fake or reused tracking number (L7)
    handling: float  # payment to shipment
    not_as_described: bool  # the goods differ from the listing
    answer1: int  # answer to the first request: AGREE, REJECT, COUNTER or SILENT
    answer_delay1: float  # as a share of the policy's answer deadline
    answer2: int  # answer to a modified request
    answer_delay2: float  # as a share of the policy's answer deadline
    offer_share: float  # counter-offer as a share of the amount asked
    contests_fine_goods: bool  # rejects, instead of countering or silence, when goods are fine
    extension_days: int  # protection days granted when asked (L10)
    extends: bool  # extends protection when asked (L10)
    seller_evidence: float  # quality of the seller's evidence, 0-1 (E3)
    seller_replies: bool  # answers the team's evidence request (E1)
    accepts_cancel: bool  # accepts a cancellation request (L2)
    races_cancel: bool  # ships to beat a cancellation (L2)
    cancel_answer: float  # time to answer a cancellation request
    confirm_return: float  # time to confirm a returned parcel (D11)
    free_return: bool  # offers free returns (D11)
    # carrier (L5-L8)
    transit: float  # shipment to arrival
    customs_at_share: float  # where on the journey customs holds the parcel
    lost_declared_after: float  # a declared loss comes after this multiple of the transit
    tracking_lag: float  # shipment to the first tracking update (L7)
    loss_u: float  # uniform, compared with the season's loss rate
    loss_rate: float  # the carrier's loss rate outside the peak
    declared_lost: bool  # the carrier declares a lost parcel lost
    customs: bool  # held by customs
    customs_days: float  # length of the customs hold
    post_office: bool  # left at a post office for collection (L8)
    damaged: bool  # damaged in transit
    return_transit: float  # transit of a returned parcel
    return_postage: int  # return postage, cents (D11)
    # buyer (L2, L8, L10, L11, D2, D5, D6, D8, D10, D11, E4, E5, P3)
    cancels: bool  # cancels before shipment (L2)
    cancel_delay: float  # payment to the cancellation request
    contacts: bool  # contacts the seller before a claim (D2)
    patience: float  # wait past the promised delivery before claiming
    misses_window: bool  # forgets to claim before protection ends
    notice: float  # delivery to noticing a problem
    false_claim: bool  # claims on goods that arrived fine
    false_not_received: bool  # a false claim says "not received" (else "not as described")
    partial: bool  # asks for part of the price only (D5)
    partial_share: float  # ... this share of it
    modified_share: float  # a modified request asks this share of the previous amount (D8)
    contact_lead: float  # contacts the seller this long before the claim (D2)
    last_minute: float  # claims at the latest this long before protection ends
    asks_return: bool  # asks to return faulty goods (D11)
    form_error: bool  # the first dispute form breaks a rule of the form (D6)
    form_text_fault: bool  # ... by Chinese text (else by an image too large)
    image_mb: float  # the largest image the buyer attaches (D6)
    oversized_image_mb: float  # ... on a form whose fault is the image
    fixed_image_share: float  # a resized image, as a share of the form's limit
    buyer_evidence: float  # quality of the buyer's evidence, 0-1 (E3)
    accepts_offer: bool  # accepts a counter-offer (D8)
    modifies: bool  # modifies a rejected request (D8)
    max_modifications: int  # ... at most this many times
    escalates: bool  # escalates by hand (D9)
    escalation_delay: float  # wait before escalating by hand
    escalation_patience_u: float  # uniform, compared with the patience for a longer wait (D10)
    escalation_patience: float  # that patience, in days
    return_tolerance: float  # largest return postage paid, as a share of the price
    return_delay: float  # agreement to shipping a return
    confirms: bool  # confirms receipt (L11)
    confirm_delay: float  # delivery to confirming receipt
    collects: bool  # collects a parcel left at the post office (L8)
    collect_delay: float
    buyer_replies: bool  # answers the team's evidence request (E2)
    appeals: bool  # appeals a lost decision when allowed (E4)
    contacts_support: bool  # contacts support after losing (E5)
    repays: bool  # pays the seller back for goods that came after a refund (P3)
    step: float  # a buyer's small reaction time
    # case team (E1-E4)
    review1: float  # first review
    review2: float  # review after evidence was asked for
    review3: float  # appeal review
    team_asks: bool  # the first review asks for evidence
    team_asks_buyer: bool  # ... from the buyer (else from the seller)
    reply_delay: float  # request to evidence
    noise1: float  # noise in the decision
    noise2: float  # noise in the appeal decision
    # bank (P1) and the cancellation's processing time (L2)
    bank_u: float  # uniform, placed in the policy's clearance range
    cancel_u: float  # uniform, placed in the policy's cancellation range
    # population (sim.world.population.individuals): who, and their standing when it was placed;
    # -1, 0 and False without a population
    seller_id: int  # the seller's id
    buyer_id: int  # the buyer's id
    standing: int  # the seller's standing (machine.standards.Standing) (S2)
    under_review: bool  # the buyer was under abuse review (S4)
    reused_tracking: int  # a fake number the seller gave an earlier order too: its id (F2)
    surcharge: int  # the restricted seller's extra fee on the sale, cents (S2)
    hold_days: float  # the restricted seller's extra hold on its money (S2)
    feedback_u: float  # uniform: whether the buyer leaves feedback (F1)
    sentiment_u: float  # uniform: which feedback
    feedback_delay: float  # the order's end to the feedback


FACT_NAMES: tuple[str, ...] = Facts._fields
_make_facts = Facts._make


_BOOL, _INT, _FLOAT = np.dtype(bool), np.dtype(np.int64), np.dtype(np.float64)
DISPUTE_FACTS: dict[str, np.dtype] = {
    **dict.fromkeys(("answer1", "answer2", "extension_days", "return_postage"), _INT),
    **dict.fromkeys(
        ("contests_fine_goods", "extends", "seller_replies", "accepts_cancel", "races_cancel",
         "free_return", "contacts", "false_not_received", "partial", "asks_return",
         "form_error", "form_text_fault", "accepts_offer", "modifies", "escalates",
         "buyer_replies", "appeals", "contacts_support", "repays", "team_asks",
         "team_asks_buyer"),
        _BOOL,
    ),
    **dict.fromkeys(
        ("answer_delay1", "answer_delay2", "offer_share", "seller_evidence", "cancel_answer",
         "confirm_return", "return_transit", "cancel_delay", "notice", "partial_share",
         "modified_share", "contact_lead", "last_minute", "image_mb", "oversized_image_mb",
         "fixed_image_share", "buyer_evidence", "max_modifications", "escalation_delay",
         "escalation_patience_u", "escalation_patience", "return_tolerance", "return_delay",
         "step", "review1", "review2", "review3", "reply_delay", "noise1", "noise2",
         "cancel_u"),
        _FLOAT,
    ),
}  # fmt: skip
"""The facts only a cancellation or a dispute reads: the seller's answers, the buyer's
claim and its form, returns, escalation, the case team's draws. An order that can have
neither never reads them, whatever the policy, so they are drawn for the others only
(`sim.world.behaviour.dispute_facts`); the other rows hold `_NOT_DRAWN`."""
_NOT_DRAWN = {_BOOL: False, _INT: -1, _FLOAT: np.nan}
_DISPUTE_FACTS_BY_TYPE = {
    dtype: tuple(name for name, kind in DISPUTE_FACTS.items() if kind == dtype)
    for dtype in (_BOOL, _INT, _FLOAT)
}


def streams(seed: np.random.SeedSequence) -> dict[str, np.random.Generator]:
    """One independent generator per actor, spawned from the run's seed sequence."""
    return {
        name: np.random.Generator(np.random.PCG64(child))
        for name, child in zip(STREAMS, seed.spawn(len(STREAMS)), strict=True)
    }


def _column(profiles: tuple, field: str, kind: np.ndarray) -> np.ndarray:
    """A profile field for every row, by each row's profile index."""
    return _profile_values(profiles, field)[kind]


_PROFILE_VALUES: dict[tuple[int, str], tuple[tuple, np.ndarray]] = {}
"""Each profile field's values by profile, built once a scenario rather than once a block
(a run draws hundreds of blocks): keyed by the profiles' tuple, which the entry holds, so
its id stays its own; the profiles are frozen."""


def _profile_values(profiles: tuple, field: str) -> np.ndarray:
    key = (id(profiles), field)
    held = _PROFILE_VALUES.get(key)
    if held is None:
        if len(_PROFILE_VALUES) >= 4_096:  # a long session of many scenarios
            _PROFILE_VALUES.clear()
        values = np.array([getattr(profile, field) for profile in profiles], dtype=float)
        values.flags.writeable = False
        held = _PROFILE_VALUES[key] = (profiles, values)
    return held[1]


def chance(gen: np.random.Generator, p: np.ndarray) -> np.ndarray:
    """Whether each row's event of chance `p` happens."""
    return gen.random(p.shape[0]) < p


def lognormal(
    gen: np.random.Generator, median: np.ndarray, sigma: float | np.ndarray
) -> np.ndarray:
    """A log-normal duration per row, of median `median` and log-spread `sigma`."""
    return median * np.exp(sigma * gen.standard_normal(median.shape[0]))


def quality(
    gen: np.random.Generator, mean: np.ndarray, concentration: float, margin: float
) -> np.ndarray:
    """Beta-distributed quality around `mean`, kept `margin` off 0 and 1 (where the Beta
    degenerates: CaseTeam.evidence_mean_margin)."""
    mean = np.clip(mean, margin, 1.0 - margin)
    return gen.beta(mean * concentration, (1.0 - mean) * concentration)


class FactColumns(dict):
    """A block's fact columns by name, the dispute facts kept for the rows they were
    drawn for.

    The dispute facts (`DISPUTE_FACTS`) are drawn for a tenth of a block's rows or so
    (`sim.world.behaviour.dispute_facts`): they are held for those rows alone (`drawn`) and spread
    into a whole column, every other row `_NOT_DRAWN`, only when a path reads the column
    whole. The paths that read them at some rows (`at`) never spread them, so most of a
    block's 56 dispute columns are never written out at all.
    """

    def __init__(self, columns: dict[str, np.ndarray], size: int) -> None:
        super().__init__(columns)
        self.size = size
        self._rows = np.empty(0, dtype=np.int64)  # increasing: the rows drawn for
        self._drawn: dict[str, np.ndarray] = {}
        self._stacks: dict[np.dtype, np.ndarray] = {}  # the drawn facts of each type

    def drawn(self, rows: np.ndarray, values: dict[str, np.ndarray]) -> None:
        """The dispute facts of `rows` (increasing), a column each; held a type at a time
        (one array of the facts of each type), so that `picked` takes them in one go."""
        assert not self._drawn, "a block's dispute facts are drawn once"
        self._rows = rows
        for dtype, names in _DISPUTE_FACTS_BY_TYPE.items():
            stack = np.stack([np.asarray(values[name]).astype(dtype) for name in names])
            self._stacks[dtype] = stack
            self._drawn.update(zip(names, stack, strict=True))

    def __missing__(self, name: str) -> np.ndarray:
        if name not in DISPUTE_FACTS:
            raise KeyError(name)
        column = self._spread(name, self.size)
        if name in self._drawn:
            column[self._rows] = self._drawn[name]
        self[name] = column
        return column

    def _spread(self, name: str, n: int) -> np.ndarray:
        dtype = DISPUTE_FACTS[name]
        return np.full(n, _NOT_DRAWN[dtype], dtype=dtype)

    def at(self, name: str, rows: np.ndarray, where: Places | None = None) -> np.ndarray:
        """The column `name` at the block's `rows`, without spreading a dispute fact;
        `where`: `places(rows)`, found once for many columns."""
        if dict.__contains__(self, name) or name not in DISPUTE_FACTS:
            return self[name][rows]
        if name not in self._drawn:
            return self._spread(name, len(rows))
        found, at = where if where is not None else self.places(rows)
        if len(at) == len(rows):  # every row drawn for (rows set aside for the walk, say)
            return self._drawn[name][at]
        values = self._spread(name, len(rows))
        values[found] = self._drawn[name][at]
        return values

    def places(self, rows: np.ndarray) -> Places:
        """Which of `rows` had their dispute facts drawn, and where each is held."""
        at = np.searchsorted(self._rows, rows)
        found = at < len(self._rows)
        found[found] = self._rows[at[found]] == rows[found]
        return found, at[found]

    def picked(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Every column at the block's `rows`, in the order of `FACT_NAMES`: the dispute
        facts a type at a time (a gather for each type, not for each of 56 facts)."""
        if not self._stacks:  # none held aside: whole columns, or none drawn at all
            return {name: self.at(name, rows) for name in FACT_NAMES}
        found, at = self.places(rows)
        typed = {}
        for dtype, names in _DISPUTE_FACTS_BY_TYPE.items():
            stack = self._stacks[dtype]
            if len(at) == len(rows):
                typed[dtype] = stack[:, at]
                continue
            spread = np.full((len(names), len(rows)), _NOT_DRAWN[dtype], dtype=dtype)
            spread[:, found] = stack[:, at]
            typed[dtype] = spread
        dispute = {name: values for dtype, names in _DISPUTE_FACTS_BY_TYPE.items()
                   for name, values in zip(names, typed[dtype], strict=True)}  # fmt: skip
        return {name: dispute[name] if name in dispute else self[name][rows]
                for name in FACT_NAMES}  # fmt: skip

    def every(self) -> dict[str, np.ndarray]:
        """Every column, whole, in the order of `FACT_NAMES`."""
        return {name: self[name] for name in FACT_NAMES}


Places = tuple[np.ndarray, np.ndarray]


class Block:
    """The drawn attributes of `size` consecutive orders, as one numpy column each.

    `rows(indices)` hands out `Facts` tuples of plain Python values: each column becomes
    Python values in one C loop (`tolist`) and the rows are zipped, so an engine that
    resolves most orders column-wise converts only the few it runs one by one.
    """

    def __init__(self, columns: dict[str, np.ndarray]) -> None:
        self.size = len(next(iter(columns.values())))
        self.columns = (
            columns if isinstance(columns, FactColumns) else FactColumns(columns, self.size)
        )

    def rows(self, indices: np.ndarray | None = None) -> list[Facts]:
        """The `Facts` of the rows at `indices` (default: every row), in that order."""
        c = self.columns
        columns = (c.every() if indices is None else c.picked(indices)).values()
        return list(map(_make_facts, zip(*(column.tolist() for column in columns), strict=True)))


class Side:
    """One side's value of a profile field for each row: the individual's own trait with
    a population (`traits`, by id), else the row's profile's."""

    def __init__(
        self,
        profiles: tuple,
        kind: np.ndarray,
        traits: dict[str, np.ndarray] | None = None,
        ids: np.ndarray | None = None,
    ) -> None:
        self.profiles, self.kind, self.traits, self.ids = profiles, kind, traits, ids

    def __call__(self, field: str) -> np.ndarray:
        if self.traits is not None and field in self.traits:
            return self.traits[field][self.ids]
        return _column(self.profiles, field, self.kind)

    def at(self, rows: np.ndarray) -> Side:
        """The same side for `rows` only."""
        ids = None if self.ids is None else self.ids[rows]
        return Side(self.profiles, self.kind[rows], self.traits, ids)


def sides(scenario: Scenario, columns: dict[str, np.ndarray], people: People | None
          ) -> tuple[Side, Side, Side]:  # fmt: skip
    """The sellers', the buyers' and the carriers' fields of a block's rows."""
    seller_traits = people.sellers.traits if people is not None else None
    buyer_traits = people.buyers.traits if people is not None else None
    return (
        Side(scenario.sellers, columns["seller"], seller_traits, columns["seller_id"]),
        Side(scenario.buyers, columns["buyer"], buyer_traits, columns["buyer_id"]),
        Side(scenario.market.carriers, columns["carrier"]),
    )


def draw_block(
    scenario: Scenario,
    gens: dict[str, np.random.Generator],
    n: int,
    people: People | None = None,
) -> Block:
    """Draw what will happen to the next `n` orders up to their delivery (with `people`,
    each from one seller and one buyer of the population, whose own traits it draws by).

    The facts only a cancellation or a dispute reads (`DISPUTE_FACTS`) are left for
    `sim.world.behaviour.dispute_facts.draw_dispute_facts`, which draws them for the orders that
    may have one: most orders never do.
    """
    market = scenario.market
    carriers = market.carriers
    g = gens
    cols: dict[str, np.ndarray] = {}

    # Market: who sells, who buys, how it ships, what it costs
    if people is None:
        seller = g["market"].choice(len(scenario.sellers), size=n,
                                    p=[s.share for s in scenario.sellers])  # fmt: skip
        buyer = g["market"].choice(len(scenario.buyers), size=n,
                                   p=[b.share for b in scenario.buyers])  # fmt: skip
        extra = anonymous_columns(n)
    else:
        seller_id, buyer_id = people.choose(n)
        seller = people.sellers.profile[seller_id].astype(np.int64)
        buyer = people.buyers.profile[buyer_id].astype(np.int64)
        extra = people.columns(n, seller_id, buyer_id)
    carrier = g["market"].choice(len(carriers), size=n, p=[c.share for c in carriers])
    item = np.maximum(
        market.price_min_cents,
        np.rint(
            market.price_median_cents * np.exp(market.price_spread * g["market"].standard_normal(n))
        ),
    )
    shipping = np.array([c.price_cents for c in carriers])[carrier]
    cols.update(
        seller=seller, buyer=buyer, carrier=carrier, price=(item + shipping).astype(np.int64)
    )
    cols.update(extra)
    sc, bc, cc = sides(scenario, cols, people)
    cols["promised"] = cc("promised_days")

    # Seller (L4, L7): whether and when it ships, and what
    gs = g["seller"]
    cols["ships"] = chance(gs, sc("ships"))
    cols["fake_tracking"] = chance(gs, sc("fake_tracking"))
    cols["handling"] = lognormal(gs, sc("handling_median_days"), sc("delay_spread"))
    cols["not_as_described"] = chance(gs, sc("not_as_described"))

    # Carrier (L5-L8)
    gc = g["carrier"]
    cols["transit"] = lognormal(gc, cc("transit_median_days"), cc("transit_spread"))
    cols["customs_at_share"] = cc("customs_at_share")
    cols["lost_declared_after"] = cc("lost_declared_after")
    lag_lo, lag_hi = cc("tracking_lag_min_days"), cc("tracking_lag_max_days")
    cols["tracking_lag"] = lag_lo + (lag_hi - lag_lo) * gc.random(n)
    cols["loss_u"] = gc.random(n)  # compared with the loss rate of the shipping season
    cols["loss_rate"] = cc("loss_rate")
    cols["declared_lost"] = chance(gc, cc("declared_lost_share"))
    cols["customs"] = chance(gc, cc("customs_rate"))
    cols["customs_days"] = lognormal(gc, cc("customs_median_days"), cc("customs_spread"))
    cols["post_office"] = chance(gc, cc("post_office_rate"))
    cols["damaged"] = chance(gc, cc("damage_rate"))

    # Buyer (L2, L8, L11, D1): whether they cancel or claim, and how they take delivery
    gb = g["buyer"]
    spread = bc("delay_spread")
    cols["cancels"] = chance(gb, bc("cancels"))
    patience = np.maximum(bc("patience_days"), bc("min_patience_days"))
    cols["patience"] = lognormal(gb, patience, spread)
    cols["misses_window"] = chance(gb, bc("misses_window"))
    cols["false_claim"] = chance(gb, bc("false_claim"))
    cols["confirms"] = chance(gb, bc("confirms_receipt"))
    cols["confirm_delay"] = lognormal(gb, bc("confirm_median_days"), spread)
    cols["collects"] = chance(gb, bc("collects_parcel"))
    cols["collect_delay"] = lognormal(gb, bc("collect_median_days"), spread)

    # Bank (P1): a policy-free uniform
    cols["bank_u"] = g["bank"].random(n)

    # Population: a fraudulent seller's one reused number (F2), a restricted seller's costs
    cols["reused_tracking"] = (
        people.reused_tracking(extra["seller_id"], cols["fake_tracking"])
        if people is not None
        else np.full(n, -1, dtype=np.int64)
    )
    restricted = extra["standing"] == Standing.RESTRICTED
    points = scenario.policy.restricted_fee_points
    cols["surcharge"] = np.where(restricted, np.rint(cols["price"] * points / 100), 0).astype(
        np.int64
    )
    cols["hold_days"] = np.where(restricted, scenario.policy.restricted_hold_days, 0.0)
    # the dispute facts are drawn later, for the orders that need them
    assert set(cols) | set(DISPUTE_FACTS) == set(FACT_NAMES), "draw_block and FACT_NAMES disagree"
    return Block(FactColumns(cols, n))
