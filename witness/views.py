"""The witness's HTTP interface: C2SP ``add-checkpoint``, the operator's poll, and what it
publishes (its key, its cosigned checkpoints, its alarms, a status page, health, metrics)."""

from __future__ import annotations

import hmac

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from flask import render_template
from flask import request
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client import generate_latest

from . import alarms
from . import cosigner
from . import errors
from . import poller
from .extensions import db
from .metrics import METRICS
from .models import LogState
from .submission import read_submission

bp = Blueprint("witness", __name__)


@bp.post("/add-checkpoint")
def add_checkpoint() -> Response:
    """C2SP tlog-witness §add-checkpoint: cosignature lines for a consistent checkpoint."""
    old_size, proof, text = read_submission(request.get_data())
    try:
        submitted = cosigner.read_checkpoint(current_app.extensions["witness.logs"], text)
        signer = current_app.extensions["witness.key"]
        signature = cosigner.cosign(submitted, old_size, proof, signer, proof_from_log=False)
    except errors.WitnessError as error:
        METRICS.refusals.labels(error.code).inc()
        raise
    METRICS.cosignatures.labels(submitted.log.origin).inc()
    return Response(signature.line(), mimetype="text/plain")


@bp.post("/witness/poll")
def poll() -> Response:
    """The operator asks for a poll of every log now (bearer OPERATOR_TOKEN)."""
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not hmac.compare_digest(given.encode(), current_app.config["OPERATOR_TOKEN"].encode()):
        raise errors.Unauthorized("Send the operator token as a bearer token.")
    return jsonify(results=poller.poll_all())


@bp.get("/witness/key")
def key() -> Response:
    """The witness's verifier key string (cosignature/v1)."""
    return Response(f"{current_app.extensions['witness.key'].verifier}\n", mimetype="text/plain")


@bp.get("/witness/checkpoint")
def checkpoint() -> Response:
    """The latest checkpoint cosigned for ``?origin=``: the log's note and our cosignature."""
    state = cosigner.latest(request.args.get("origin", ""))
    if state is None:
        raise errors.UnknownOrigin("No checkpoint of that origin has been cosigned.")
    return Response(state.checkpoint, mimetype="text/plain")


@bp.get("/witness/alarms")
def alarm_list() -> Response:
    return jsonify(alarms=alarms.list_alarms())


@bp.get("/")
def status() -> str:
    """The status page: each log's latest cosigned checkpoint, and every alarm."""
    states = {s.origin: s for s in db.session.scalars(db.select(LogState))}
    return render_template(
        "status.html",
        logs=current_app.extensions["witness.logs"].values(),
        states=states,
        alarms=alarms.list_alarms(),
        key=current_app.extensions["witness.key"].verifier,
    )


@bp.get("/healthz")
def healthz() -> Response:
    db.session.execute(db.select(1))
    return jsonify(status="ok")


@bp.get("/metrics")
def metrics() -> Response:
    return Response(generate_latest(METRICS.registry), content_type=CONTENT_TYPE_LATEST)
