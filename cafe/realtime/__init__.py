"""Realtime: the Socket.IO protocol and everything that carries it, knowing no rule of the domain.

Owns the namespaces, event names and rooms (`protocol`, which the browser reads too), sending one
message to several audiences in one publish (`fanout`), broadcasting a recorded change (`broadcast`),
the change log every client catches up from (`changes`), who is connected to which table (`presence`),
what every socket handler shares (`sockets`: who the socket is, error acks, rate limits, the answer to an
unknown event), and which browser origins may open a socket (`origins`).

May use: `cafe.models`, `cafe.storage`, `cafe.ops`, `cafe.extensions`, `cafe.errors`. The domain uses
realtime to record and announce changes; realtime learns who a socket is through the authenticator the
app factory registers (`app.extensions["cafe.authenticate"]`), never by importing the domain.
"""
