"""Which browser origins may open a socket: PUBLIC_URL's, and the address the server itself listens on."""
import logging
import socket
from urllib.parse import urlsplit

log = logging.getLogger("cafe.realtime")
LOOPBACK = ("127.0.0.1", "localhost")
ANY = ("0.0.0.0", "::", "")
MAX_LOGGED = 100  # refused origins logged by name; a flood of made-up ones is not logged without end


def origin_of(url: str) -> str:
    """The origin (scheme://host[:port]) of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def listening(host: str, port: int) -> list[str]:
    """The origins of a server listening on host:port: loopback by both names, every name of the machine."""
    names = [host] if host not in ANY else [socket.gethostname(), *_addresses()]
    if host in LOOPBACK or host in ANY:
        names += LOOPBACK
    return [f"http://{name}:{port}" for name in dict.fromkeys(names)]


def _addresses() -> list[str]:
    """The machine's IPv4 addresses by its name (none when the name does not resolve)."""
    try:
        return socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        return []


class AcceptedOrigins:
    """Engine.IO's origin check: True for an accepted origin; a refused one is logged with what allows it."""

    def __init__(self, origins):
        self.origins = tuple(dict.fromkeys(origin_of(o) for o in origins))
        self.refused: set[str] = set()

    def __call__(self, origin, environ=None) -> bool:
        if origin in self.origins:
            return True
        if not origin:  # asked while answering a request that sent none: no CORS headers to add
            return False
        if len(self.refused) < MAX_LOGGED and origin not in self.refused:
            self.refused.add(origin)
            log.warning("Socket refused: the origin %s is not accepted (accepted: %s). If people open the app at "
                        "%s, set PUBLIC_URL=%s", str(origin)[:200], ", ".join(self.origins), str(origin)[:200],
                        str(origin)[:200])
        return False
