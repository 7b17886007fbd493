"""What people see: formatted tables, plots, reports, an order's story, event-log exports
and SQL over a results folder."""
