"""What an operator watches: Prometheus metrics of each process (/metrics) and reachability (/healthz).

Low in the house so that every layer can count what it does (acks, notes, jobs, passes) without
knowing who reads the figures. May use: `cafe.extensions` and the standard library; no domain, no area.
"""
