"""nginx as the cluster's load balancer: round robin over the nodes, no sticky sessions."""

from __future__ import annotations

import os
import shutil

import requests

from tests.support.cluster import Process
from tests.support.cluster import base_environment
from tests.support.cluster import wait_until


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None
    )


NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
    log_format silta '$request_id $upstream_addr $status $request_method $uri';
    access_log {work}/nginx-access.log silta;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    upstream silta {{
        # Round robin, no stickiness: consecutive requests of one citizen land on both nodes.
        server 127.0.0.1:{port_a} max_fails=1 fail_timeout=3s;
        server 127.0.0.1:{port_b} max_fails=1 fail_timeout=3s;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://silta;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Request-Id $request_id;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_connect_timeout 1s;
            proxy_read_timeout 30s;
            # Try the other node when this one cannot be reached or fails before it answers.
            # Never `non_idempotent`: nginx then re-sends no POST that a node may already have
            # received, because a replayed POST is not harmless here (a code redeemed twice
            # revokes the tokens of the first redemption, RFC 6749 section 4.1.2; a consent
            # form posted twice is two decisions). Such a request fails with 502 and the
            # citizen's own retry decides, against the state the first attempt left.
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
        }}
    }}
}}
"""


def start(cluster, port: int) -> Process:
    """nginx in the foreground with a generated config; returns once it proxies to the nodes."""
    work = cluster.workdir
    conf = work / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            work=work,
            port=port,
            port_a=cluster.node_ports["node-a"],
            port_b=cluster.node_ports["node-b"],
            # As root, nginx's workers would run as `nobody`, who cannot enter the test's
            # private temporary folder; this nginx is the test's own, on loopback only.
            user="user root;" if os.geteuid() == 0 else "",
        )
    )
    process = Process(
        "nginx",
        [nginx_binary(), "-p", str(work), "-c", str(conf), "-e", str(work / "nginx-error.log")],
        base_environment(),
        work / "nginx.log",
    )
    process.start()
    wait_until(
        lambda: requests.get(cluster.url + "/healthz", timeout=2).ok, "nginx", process=process.popen
    )
    return process
