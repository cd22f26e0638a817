"""``newsift serve``: the web workbench over a corpus store."""

from __future__ import annotations

import ipaddress

import click

from newsift.cli import main
from newsift.cli.corpus import db_option
from newsift.errors import InputError
from newsift.ingest.text import DEFAULT_MAX_BYTES

LOOPBACK_NAMES = {"localhost"}


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> list[str]:
    """The Host headers a loopback server answers (refusing others defeats DNS rebinding)."""
    names = {host, "localhost", "127.0.0.1", "[::1]"}
    return sorted({*names, *(f"{n}:{port}" for n in names)})


@main.command()
@db_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on; anything but loopback needs --token."
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--token", envvar="NEWSIFT_TOKEN", help="Access token every change (analyse, upload) then needs.")
@click.option(
    "--max-upload-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Largest request body (upload or pasted article) accepted.",
)
@click.option("--allow-private", is_flag=True, help="Let URL analysis fetch loopback and private addresses.")
def serve(db: str, host: str, port: int, token: str | None, max_upload_bytes: int, allow_private: bool) -> None:
    """Run the web workbench (pages and the /api REST API) over the corpus store."""
    import uvicorn

    from newsift.web import create_app

    if not is_loopback(host) and not token:
        raise InputError(
            f"--host {host} makes the server reachable from other machines: give --token T (every change then needs it)"
        )
    if token is not None and len(token) < 12:
        raise InputError("--token must be at least 12 characters")
    app = create_app(
        db,
        token,
        max_upload_bytes=max_upload_bytes,
        allow_private=allow_private,
        allowed_hosts=None if token else allowed_hosts(host, port),
    )
    click.echo(f"newsift: serving {db} on http://{host}:{port}/", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
