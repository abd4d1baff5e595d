"""The clock: APScheduler 3 jobs that select what is due and enqueue it (the worker sends)."""
