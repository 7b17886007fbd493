"""What each actor does: the profiles of sellers and buyers (`profiles`), the case team's
parameters (`team`) and the delays fitted from a platform's log (`fitted`, drawn through
`distributions`); the facts drawn for each order when it is created (`facts`, `draws`,
`dispute_facts`, held as a block's columns in `fact_columns`); the order as the world sees
it (`worldorder`); and, in each state, who does what next and when (`actors`).

To change how an actor behaves, change its parameters here, what is drawn for it, and its
move in `actors`; the engines' block paths restate those moves and are proven against them.
Behaviour imports the scenario, the records and the population (who sells an order), never
the engines.
"""
