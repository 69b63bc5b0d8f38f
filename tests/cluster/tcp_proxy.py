"""A loopback TCP proxy that a test can cut (every connection dropped) or make talk garbage."""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading

from federation.ports import free_port

NONSENSE = b"\x00\xff{not json at all]]\x00\x01"
GARBAGE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
    b"Content-Length: " + str(len(NONSENSE)).encode() + b"\r\n\r\n" + NONSENSE
)


class TcpProxy:
    """Forwards 127.0.0.1:``port`` to 127.0.0.1:``target_port``.

    ``cut()`` resets every open connection and every new one, as a restarting server does
    (its clients see the connection drop, and new ones fail at once); ``resume()`` forwards
    again. The listener itself stays, so the port never changes hands. In ``garbage`` mode each
    connection gets a 200 answer whose JSON body is nonsense.
    """

    def __init__(self, target_port: int, port: int = 0) -> None:
        self.target = ("127.0.0.1", target_port)
        self.port = port or free_port()
        self.garbage = False
        self.down = False
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(256)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        self.down = True
        with self._lock:
            dropped, self._open = self._open, set()
        for sock in dropped:
            _reset(sock)

    def resume(self) -> None:
        self.down = False

    def close(self) -> None:
        self.cut()
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            ready, _, _ = select.select([listener], [], [], 0.1)
            if not ready or self._listener is not listener:
                continue
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self.down:
                _reset(client)
                continue
            if self.garbage:
                threading.Thread(target=self._answer_garbage, args=(client,), daemon=True).start()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _reset(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                self._open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            with self._lock:
                self._open -= {source, sink}
            source.close()  # each socket is the source of exactly one pump

    @staticmethod
    def _answer_garbage(client: socket.socket) -> None:
        with client:
            client.settimeout(5)
            with contextlib.suppress(OSError):
                client.recv(65536)
                client.sendall(GARBAGE)


def _reset(sock: socket.socket) -> None:
    """Abort the connection with a reset, as a crashed server's kernel does."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RDWR)  # wakes a pump blocked on it
    sock.close()
