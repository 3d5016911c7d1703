"""Domain logic that knows nothing of requests, sockets or sessions."""
