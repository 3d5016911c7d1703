"""Load generator: many asyncio python-socketio clients in one process, run as
`python bench/loadgen.py SPEC.json RESULT.json` by the benchmarks.

Hosts send notes at a steady rate and keep every unacknowledged note in an outbox that is resent
(same client_id) after a reconnect. Projectors and consoles record when each note reaches them,
catch up with `sync` after every connect and whenever a `seq` gap stays open for `GAP_GRACE`: the
synthesis service's changes reach the server process through a pipe or Redis, so one of them may
arrive a moment after a note with a higher seq without anything being missed.
Every client reconnects with exponential back-off and jitter, as the browser does.
"""
import asyncio
import json
import random
import sys
import time
import uuid

import aiohttp
import socketio

NOTE_EVENTS = ("note:added", "note:updated", "note:deleted")
LEAN = ("/projector",)  # namespaces whose live note carries no client_id: notes are known by their text there
CALL_TIMEOUT = 10
GAP_GRACE = 1.0  # seconds a gap in seq may stay open before it counts as a missed broadcast


def new_client(session: aiohttp.ClientSession) -> socketio.AsyncClient:
    """A client that reconnects with back-off and ±50% jitter, so a restart brings no stampede."""
    return socketio.AsyncClient(reconnection=True, reconnection_delay=0.5, reconnection_delay_max=5,
                                randomization_factor=0.5, http_session=session, ssl_verify=False)


class Run:
    """What all clients of this process share: the clock, the log, the HTTP sessions."""

    def __init__(self, spec: dict):
        self.spec = spec
        self.start = time.time()
        self.stopping = False
        self.connections: list[dict] = []
        self.refused = 0
        self.sessions: dict[str, aiohttp.ClientSession] = {}

    def session(self, address: str) -> aiohttp.ClientSession:
        """One HTTP session per local source address (nginx hashes on the client's address)."""
        if address not in self.sessions:
            connector = aiohttp.TCPConnector(limit=0, local_addr=(address, 0))
            self.sessions[address] = aiohttp.ClientSession(connector=connector)
        return self.sessions[address]

    def log(self, who: str, what: str) -> None:
        """Note a connection event with its time."""
        self.connections.append({"who": who, "what": what, "t": time.time()})


class Client:
    """One socket: connects, logs its connection state, can be dropped for a while."""

    namespace = "/table"

    def __init__(self, run: Run, conf: dict, name: str):
        self.run, self.conf, self.name = run, conf, name
        self.sio = new_client(run.session(conf.get("source", "127.0.0.1")))
        self.sio.on("connect", self._connected, namespace=self.namespace)
        self.sio.on("disconnect", self._disconnected, namespace=self.namespace)
        self.online = False
        self.bytes = 0  # received from the server: broadcasts and acks

    async def connect(self) -> bool:
        """Connect once; a refusal is counted, not retried."""
        try:
            await self.sio.connect(self.conf["url"], namespaces=[self.namespace], auth=self.conf["auth"],
                                   transports=["websocket"], wait_timeout=20)
            return True
        except Exception:  # refused or timed out: this is what the benchmark counts
            self.run.refused += 1
            return False

    async def _connected(self):
        """Log the (re)connect and catch up in a task (handlers must not wait for acks)."""
        self.online = True
        self.run.log(self.name, "connect")
        asyncio.ensure_future(self.after_connect())

    async def _disconnected(self, *_):
        """Log the loss of the connection."""
        self.online = False
        self.run.log(self.name, "disconnect")

    async def after_connect(self):
        """What to do after each (re)connect."""

    async def drop(self, seconds: float):
        """Go away for a while (like a phone losing wifi), then come back."""
        self.run.log(self.name, "drop")
        await self.sio.shutdown()  # also ends an automatic reconnection already under way
        await asyncio.sleep(seconds)
        while not self.run.stopping and not self.sio.connected:
            if await self.connect():
                return
            await asyncio.sleep(random.uniform(0.5, 1.5))


class Host(Client):
    """A table host sending a note every 1/rate seconds, resending each until it is acknowledged."""

    def __init__(self, run, conf, name):
        super().__init__(run, conf, name)
        self.outbox: dict[str, dict] = {}
        self.notes: dict[str, dict] = {}
        self.errors = 0
        self._flush: asyncio.Future | None = None
        self.sio.on("*", self._on_any, namespace=self.namespace)

    async def _on_any(self, event, message=None):
        """A broadcast to the table (the host's own notes come back too): only its size is kept."""
        self.bytes += wire_bytes(self.namespace, event, message)

    async def after_connect(self):
        """Resend everything not yet acknowledged."""
        await self.flush()

    async def _disconnected(self, *_):
        """As the host page does, stop waiting for the ack of a note sent on the lost connection: the
        next connect sends it again at once (a note that did arrive is answered by its client_id)."""
        await super()._disconnected()
        if self._flush is not None:
            self._flush.cancel()

    @property
    def flushing(self) -> bool:
        """Whether the outbox is being sent."""
        return self._flush is not None and not self._flush.done()

    async def flush(self):
        """Send the outbox in order until it is empty or the connection drops; one flush at a time."""
        if not self.flushing:
            self._flush = asyncio.ensure_future(self._send_outbox())
        flush = self._flush
        try:
            await asyncio.shield(flush)
        except asyncio.CancelledError:
            if not flush.cancelled():  # this caller was cancelled, not the flush
                raise

    async def _send_outbox(self):
        """Send each note of the outbox in turn, stopping at the first that is not acknowledged."""
        for cid in list(self.outbox):
            if not self.online or not await self.send(cid):
                break

    async def send(self, cid: str) -> bool:
        """Send one note; True once acknowledged."""
        try:
            ack = await self.sio.call("note:add", self.outbox[cid], namespace=self.namespace,
                                      timeout=CALL_TIMEOUT)
        except Exception:  # timed out or disconnected: it stays in the outbox
            return False
        self.bytes += wire_bytes(self.namespace, "", ack) - 2  # an ack packet carries no event name
        if not ack.get("ok"):
            self.errors += 1
            return False
        self.notes[cid]["acked"] = time.time()
        self.notes[cid]["seq"] = ack["note"]["seq"]
        self.notes[cid]["id"] = ack["note"]["id"]
        self.outbox.pop(cid, None)
        return True

    async def write(self, until: float):
        """Write notes at the configured rate until `until`, starting at a random phase."""
        period = 1.0 / self.conf["rate"]
        await asyncio.sleep(random.uniform(0, period))
        number = 0
        while time.time() < until and not self.run.stopping:
            number += 1
            cid = str(uuid.uuid4())
            text = f"Mätanteckning {number} från {self.name}"
            self.outbox[cid] = {"client_id": cid, "text": text}
            self.notes[cid] = {"created": time.time(), "acked": None, "text": text}
            if not self.flushing and self.online:
                asyncio.ensure_future(self.flush())
            await asyncio.sleep(period)

    def result(self) -> dict:
        """Every note written, with its times and seq."""
        return {"notes": self.notes, "unacked": len(self.outbox), "errors": self.errors, "bytes": self.bytes}


class Watcher(Client):
    """A projector or console: records when each note arrives and catches up with `sync`."""

    def __init__(self, run, conf, name, namespace):
        self.namespace = namespace
        super().__init__(run, conf, name)
        self.received: dict[str, float] = {}
        self.synced: dict[str, float] = {}
        self.ids: dict[str, int] = {}
        self.duplicates = 0
        self.redelivered = 0
        self.last_seq = 0
        self.seen: set[int] = set()
        self.contiguous = 0  # every seq up to this one has been seen
        self._syncing = False
        for event in NOTE_EVENTS:
            self.sio.on(event, self._counted(event), namespace=namespace)
        self.sio.on("*", self._on_other, namespace=namespace)

    def _counted(self, event: str):
        """The handler of a note event, which also counts its bytes."""
        async def handler(message):
            self.bytes += wire_bytes(self.namespace, event, message)
            await self._on_change(message)
        return handler

    async def _on_other(self, event, message=None):
        """Other changes of the log (rounds, synthesis, ...) also carry a seq: count them as seen."""
        self.bytes += wire_bytes(self.namespace, event, message)
        if isinstance(message, dict) and isinstance(message.get("seq"), int):
            await self._on_change(message)

    async def _on_change(self, message):
        """Apply a broadcast; a gap in seq means a missed broadcast, so catch up."""
        now = time.time()
        seq = message.get("seq", 0)
        if seq in self.seen:
            self.redelivered += 1  # already applied (a sync overtook the broadcast): skipped by seq
            return
        self._apply(message, now, self.received)
        if seq > self.last_seq + 1:
            asyncio.ensure_future(self._check_gap(seq))
        self.last_seq = max(self.last_seq, seq)

    async def _check_gap(self, seq: int) -> None:
        """Catch up when the seqs below `seq` are still not all here after GAP_GRACE."""
        await asyncio.sleep(GAP_GRACE)
        if self._contiguous() < seq - 1 and not self._syncing:
            await self.sync()

    def _apply(self, change: dict, now: float, arrivals: dict) -> None:
        """Remember a change and when its note first arrived (by broadcast or by sync)."""
        self.seen.add(change.get("seq", 0))
        note = change.get("note") or {}
        cid = note_key(note)
        if cid is None:
            return
        if change.get("type") == "note:added" and cid in self.ids and self.ids[cid] != note.get("id"):
            self.duplicates += 1
        self.ids[cid] = note.get("id")
        if cid not in self.received and cid not in self.synced:
            arrivals[cid] = now

    async def after_connect(self):
        """Catch up on everything missed while away."""
        await self.sync()

    async def sync(self) -> bool:
        """Ask for every change after the highest contiguous seq, page by page."""
        if self._syncing:
            return False
        self._syncing = True
        try:
            since = self._contiguous()
            while True:
                ack = await self.sio.call("sync", {"since": since}, namespace=self.namespace,
                                          timeout=CALL_TIMEOUT)
                now = time.time()
                for change in ack.get("changes", []):
                    if change["seq"] not in self.seen:
                        self._apply(change, now, self.synced)
                    since = max(since, change["seq"])
                self.last_seq = max(self.last_seq, since, ack.get("last_seq", 0))
                if not ack.get("more"):
                    self.run.log(self.name, "caught_up")
                    return True
        except Exception:  # disconnected mid-sync: the next connect syncs again
            return False
        finally:
            self._syncing = False

    def _contiguous(self) -> int:
        """The highest seq below which nothing is missing."""
        while self.contiguous + 1 in self.seen:
            self.contiguous += 1
        return self.contiguous

    def result(self) -> dict:
        """When each note arrived, by broadcast or by sync, and duplicates."""
        return {"received": self.received, "synced": self.synced, "duplicates": self.duplicates,
                "redelivered": self.redelivered, "bytes": self.bytes}


def note_key(note: dict) -> str | None:
    """How a watcher knows a note: its client_id, or its text (unique per note in a benchmark) on a
    projector, whose live note has no client_id; `common.analyse` maps text keys back to client ids."""
    if note.get("client_id") is not None:
        return note["client_id"]
    return f"text:{note['text']}" if note.get("text") is not None else None


_SIZES: dict[tuple, int] = {}  # a broadcast reaches many clients of one process: encode it once


def wire_bytes(namespace: str, event: str, message) -> int:
    """Bytes of a received event as the server sent it (a Socket.IO text packet over the websocket)."""
    seq = message.get("seq") if isinstance(message, dict) and event else None
    key = (namespace, event, seq)
    if seq is not None and key in _SIZES:
        return _SIZES[key]
    packet = socketio.packet.Packet(socketio.packet.EVENT, namespace=namespace, data=[event, message])
    size = len(packet.encode().encode())
    if seq is not None:
        _SIZES[key] = size
    return size


def _build(run: Run) -> tuple[list[Host], list[Watcher]]:
    """The clients named in the spec."""
    spec = run.spec
    hosts = [Host(run, conf, f"host-{conf['name']}") for conf in spec.get("hosts", [])]
    watchers = [Watcher(run, conf, f"{conf['kind']}-{conf['name']}", "/" + conf["kind"])
                for conf in spec.get("watchers", [])]
    return hosts, watchers


async def _ramp(clients: list[Client], seconds: float) -> None:
    """Connect every client, spread evenly over `seconds`."""
    gap = seconds / max(len(clients), 1)
    tasks = []
    for client in clients:
        tasks.append(asyncio.ensure_future(client.connect()))
        await asyncio.sleep(gap)
    await asyncio.gather(*tasks)


async def _drops(run: Run, clients: list[Client]) -> None:
    """Drop the planned share of clients at the planned times."""
    for plan in run.spec.get("drops", []):
        await asyncio.sleep(max(0.0, run.start + plan["at"] - time.time()))
        chosen = random.Random(plan.get("seed", 1)).sample(clients, int(len(clients) * plan["fraction"]))
        await asyncio.gather(*(client.drop(plan["seconds"]) for client in chosen))


async def _drain(run: Run, hosts: list[Host], watchers: list[Watcher]) -> None:
    """After writing stops: resend what is left, then let every watcher catch up once more."""
    deadline = time.time() + run.spec.get("drain", 30)
    while time.time() < deadline and any(h.outbox for h in hosts):
        await asyncio.gather(*(h.flush() for h in hosts if h.outbox and h.online))
        await asyncio.sleep(0.5)
    await asyncio.sleep(run.spec.get("settle", 2))
    if run.spec.get("final_sync", True):
        await asyncio.gather(*(w.sync() for w in watchers if w.online))


async def main(spec: dict) -> dict:
    """Ramp up, write for the duration, drain, and report."""
    run = Run(spec)
    hosts, watchers = _build(run)
    await _ramp(watchers + hosts, spec.get("ramp", 2))
    held = sum(c.online for c in hosts + watchers)
    run.log("all", "ramped")
    until = time.time() + spec["duration"]
    drops = asyncio.ensure_future(_drops(run, hosts + watchers))
    if spec.get("idle"):  # connected and silent: what holding the sockets costs the server
        await asyncio.sleep(spec["duration"])
    await asyncio.gather(*(h.write(until) for h in hosts if not spec.get("idle")))
    await drops
    await _drain(run, hosts, watchers)
    run.stopping = True
    result = {"held": held, "refused": run.refused, "connections": run.connections, "start": run.start,
              "hosts": {h.name: h.result() for h in hosts}, "watchers": {w.name: w.result() for w in watchers}}
    await asyncio.gather(*(c.sio.disconnect() for c in hosts + watchers), return_exceptions=True)
    for session in run.sessions.values():
        await session.close()
    return result


def _time_limit(spec: dict) -> float:
    """The most a run may take before it stops by itself, whatever happens to the server."""
    return spec.get("ramp", 2) + spec["duration"] + spec.get("drain", 30) + spec.get("settle", 2) + 120


if __name__ == "__main__":
    with open(sys.argv[1]) as spec_file:
        loaded = json.load(spec_file)
    outcome = asyncio.run(asyncio.wait_for(main(loaded), timeout=_time_limit(loaded)))
    with open(sys.argv[2], "w") as out:
        json.dump(outcome, out)
