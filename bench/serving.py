"""What the benchmarks that start a server share: waiting until it listens."""

import socket
import time


def wait_for_port(port: int, *, tries: int = 200) -> None:
    """Return once 127.0.0.1:`port` accepts a connection, or after `tries` tenths of a
    second; the benchmark's first request then shows what is wrong."""
    for _ in range(tries):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
