"""What a run keeps: the event log and its codes (`recorder`), the orders table
(`tables`), the run's result with its tables' categories (`results`), the ground truth of
an order (`truth`), and the size and memory a run needs (`footprint`, `heap`).

Records import the machine and the scenario, nothing else of the world: every room above
writes into them, none of them reads a room.
"""
