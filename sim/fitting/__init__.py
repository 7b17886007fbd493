"""A platform's own log made into a scenario: read it (`reading`, through a `mapping` of its
columns and labels to the machine's triggers), replay every case on the machine under the
policy the platform ran (`replay`), fit each actor's time and choices with the policy's
deadlines as censoring (`races`, `families`, `survival`, `arrivals`, `queue`, `fit`), write
the fitted scenario (`writing`) and measure how faithful a world simulated from it is
(`fidelity`).

The fit imports the machine, the world and the experiments; nothing below it imports it.
"""
