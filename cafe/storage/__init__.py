"""Storage: how the app talks to its database, below every table and every subject of the domain.

Owns the engine's setup (SQLite's pragmas and cooperative write lock, the autocommit engine of the
note's hot path), SQLite's write-ahead-log checkpoints in a server process, and Core statements
prepared once per dialect. The tables themselves are `cafe.models`.

May use: `cafe.extensions`, `cafe.models` (loading the framework's points), SQLAlchemy and the
standard library. Nothing here knows of requests, sockets or the areas.
"""
