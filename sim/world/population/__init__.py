"""Who sells and who buys: the population's parameters (`settings`, `adaptation`), the
sellers and buyers as columns by id (`individuals`, picked by weight through `weighted`),
the feedback they leave and get (`feedback`), the seller standards' monitoring and abuse
review (`monitor`), and buyers who learn and sellers who adapt, enter and leave
(`learning`).

The population imports the scenario and the records, never behaviour or the engines: it
is told what happened (counts, feedback, rows) and answers with weights and standings.
"""
