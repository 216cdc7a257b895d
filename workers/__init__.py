"""rq job entry points, queues and the periodic schedule. ``python -m workers`` runs a worker."""
