"""Disputes the seller settles, and the orders around them, resolved many at a time: the walk.

The commonest dispute: the parcel is lost, on fake tracking, late, damaged or not as
described (or the buyer only says so); the buyer may write to the seller first, and the
seller may extend the protection (D2, L10); the buyer opens a dispute (D1); the seller
agrees, stays silent until the deadline, or counters with an offer the buyer accepts (D7,
D8), or rejects it and the buyer of a false claim gives up (D13); a return goes back and
is confirmed, or is never sent (D11); a parcel that shows up during the dispute ends it
for an honest buyer (D12, D13); the bank credits the refund (P1); goods that still come
may be paid back (P3). With them go the orders that might have had such a dispute and had
none: protection running out before a claim, a parcel left at the post office, a buyer
who confirmed. No one else takes part, so none of these orders needs a place on the event
heap.

`walk.Walk` moves these orders over columns (`sim.world.engines.aside` gathers them). Each
round, every order still walking asks its state's candidates as `sim.world.behaviour.actors`
and the table's timers would, with the ties of `sim.world.engines.timetable`, and fires the
earliest. A move the walk does not follow (`states.FOLLOWED` lists those it does: a
modified request, a changed reason, an escalation that might come first are not) hands the
order back whole to the per-event path, which runs it from its start: nothing it did here is
kept. So the walk need not foresee which orders stay on it, only be exact on the moves it
follows, which `tests/test_engines.py` proves against the reference engine.

The walk by phase, each a module of functions on the walked columns (`walked`), with what
they know of the table in `states`: before a claim (`transport`), the buyer's claim
(`claims`), the seller's answer (`answer`), the buyer's reply (`reply`), what may come
during any dispute (`dispute`), returns (`returns`), the bank and late goods (`payout`);
`walk` runs them in turn. The walk imports the rooms below the engines and the engines'
`timetable`, `written` and `arrivals`; only `sim.world.engines.aside` imports the walk.
"""
