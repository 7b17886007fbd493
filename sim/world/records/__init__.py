"""What a run keeps: the event log and its codes (`recorder`), the orders table
(`tables`), the run's result with its tables' categories (`results`), the ground truth of
an order (`truth`), the size and memory a run needs (`footprint`, `heap`), and views of
columns that take only what is read (`lazy`).

Records import the machine and the scenario, nothing else of the world: every room above
writes into them, none of them reads a room.
"""
