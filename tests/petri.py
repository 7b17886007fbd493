"""A Petri net generated from the machine's table (test-only: it needs pm4py).

A place per state, a transition per row and source state, labelled with the activity name
the exports use, and the payment that leads into the first state; end states lead through
silent transitions to one final place.
"""

from __future__ import annotations

from machine.activities import PAY, activity
from machine.table import END_STATES, INITIAL, STATE_NAMES, TRANSITIONS


def machine_net():
    from pm4py.objects.petri_net.obj import Marking, PetriNet
    from pm4py.objects.petri_net.utils.petri_utils import add_arc_from_to

    net = PetriNet("disputesim")
    places = {name: PetriNet.Place(name) for name in STATE_NAMES}
    created, final = PetriNet.Place("created"), PetriNet.Place("closed")
    for place in (*places.values(), created, final):
        net.places.add(place)
    pay = PetriNet.Transition("pay", PAY)  # the payment that starts every order
    net.transitions.add(pay)
    add_arc_from_to(created, pay, net)
    add_arc_from_to(pay, places[INITIAL], net)
    for spec in TRANSITIONS:
        for source in spec.source:
            dest = spec.dest or source
            transition = PetriNet.Transition(
                f"{spec.trigger}:{source}:{dest}", activity(spec.trigger, dest)
            )
            net.transitions.add(transition)
            add_arc_from_to(places[source], transition, net)
            add_arc_from_to(transition, places[dest], net)
    for end in END_STATES:
        silent = PetriNet.Transition(f"close:{end}", None)
        net.transitions.add(silent)
        add_arc_from_to(places[end], silent, net)
        add_arc_from_to(silent, final, net)
    return net, Marking({created: 1}), Marking({final: 1})
