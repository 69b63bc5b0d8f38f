"""silta_common.errors: every error of an app shown in one place, with an error id logged."""

from __future__ import annotations

import logging
import re
from types import MappingProxyType

import pytest
from flask import Response
from flask import request
from flask_wtf.csrf import CSRFProtect

from silta_common.errors import ErrorPages
from silta_common.errors import SiltaError
from silta_common.errors import machine_request
from silta_common.errors import register_error_handlers
from silta_common.web import render_page


class AppError(SiltaError):
    message = "The request could not be understood."


class Refused(AppError):
    status = 409
    code = "refused"
    message = "Refused."
    headers = MappingProxyType({"Retry-After": "7"})

    def __init__(self, reason: str) -> None:  # an app's own constructor
        super().__init__(f"refused: {reason}")


class FormExpired(AppError):
    code = "csrf"
    message = "This form has expired."


class PageNotFound(AppError):
    status = 404
    message = "This page does not exist."


class ServerError(AppError):
    status = 500
    code = "server_error"
    message = "Something went wrong."


PAGES = ErrorPages(FormExpired, PageNotFound, AppError, ServerError)


def page(error: SiltaError, error_id: str) -> Response:
    return render_page("error.html", error=error, error_id=error_id)


@pytest.fixture
def client(app):
    CSRFProtect(app)
    app.config["WTF_CSRF_ENABLED"] = True

    @app.get("/refuse")
    def refuse():
        raise Refused("no")

    @app.get("/break")
    def broken():
        raise RuntimeError("the database password is hunter2")

    @app.post("/form")
    def form():
        return "posted"

    register_error_handlers(
        app, AppError, PAGES, render=page, wants_json=lambda: request.path.startswith("/api")
    )
    app.add_url_rule("/api/refuse", "api_refuse", refuse)
    return app.test_client()


def shown_id(response) -> str:
    return response.get_data(as_text=True).split()[-1]


def test_an_error_of_the_tree_is_a_page_with_its_status_headers_and_a_logged_id(client, caplog):
    with caplog.at_level(logging.WARNING, logger="tests.unit.silta_common.conftest.errors"):
        response = client.get("/refuse")
    assert response.status_code == 409 and response.headers["Retry-After"] == "7"
    error_id = shown_id(response)
    assert response.get_data(as_text=True) == f"refused Refused. {error_id}"
    assert re.fullmatch(r"[0-9a-f]{12}", error_id)
    (record,) = caplog.records
    assert record.getMessage() == (
        f"error.shown error_id={error_id} code=refused status=409 detail=refused: no"
    )
    assert record.error_id == error_id  # as an extra too, for a formatter that writes them


def test_a_machine_gets_json_never_cached(client):
    response = client.get("/api/refuse")
    assert response.status_code == 409 and response.headers["Retry-After"] == "7"
    assert response.get_json() == {"error": "refused", "error_description": "refused: no"}
    assert response.headers["Cache-Control"] == "no-store"


def test_werkzeug_errors_keep_their_headers_and_an_expired_form_is_named(client):
    missing = client.get("/nowhere")
    assert missing.status_code == 404
    assert missing.get_data(as_text=True).startswith("not_found This page does not exist.")
    wrong_method = client.get("/form")
    assert wrong_method.status_code == 405
    assert wrong_method.get_data(as_text=True).startswith("method_not_allowed The request")
    assert set(wrong_method.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}
    expired = client.post("/form")
    assert expired.status_code == 400
    assert expired.get_data(as_text=True).startswith("csrf This form has expired.")


def test_the_unexpected_is_a_500_without_internals_logged_with_its_trace(client, caplog):
    with caplog.at_level(logging.ERROR):
        response = client.get("/break")
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and body.startswith("server_error Something went wrong.")
    assert "hunter2" not in body and "RuntimeError" not in body
    (record,) = [r for r in caplog.records if r.getMessage().startswith("error.unexpected")]
    assert record.error_id == shown_id(response) and record.exc_info is not None


def test_a_structured_log_keeps_the_event_name_as_its_message(app, caplog):
    log = logging.getLogger("structured")
    shower = register_error_handlers(
        app, AppError, PAGES, render=page, error_id=lambda: "req-1", log=log, structured_log=True
    )
    with app.test_request_context("/"), caplog.at_level(logging.WARNING, logger="structured"):
        response = shower.show(Refused("x"), as_json=True)
    assert response.get_json()["error"] == "refused"
    (record,) = caplog.records
    assert (record.getMessage(), record.error_id, record.status) == ("error.shown", "req-1", 409)


def test_an_http_error_becomes_an_error_of_the_tree_past_its_own_constructor():
    from werkzeug.exceptions import MethodNotAllowed

    shown = Refused.from_http(MethodNotAllowed(["GET"]))
    assert isinstance(shown, Refused)
    assert (shown.code, shown.status, shown.detail) == ("method_not_allowed", 405, None)
    assert dict(shown.headers) == {"Allow": "GET"}


def test_error_pages_of_an_apps_texts_are_classes_of_its_tree():
    pages = ErrorPages.of(
        AppError,
        form_expired="Expired.",
        not_found={"message": "Gone.", "title": "Not here"},
        unexpected=ServerError,
    )
    assert issubclass(pages.form_expired, AppError) and pages.http_error is AppError
    assert (pages.form_expired.code, pages.form_expired.status) == ("csrf", 400)
    assert pages.form_expired.message == "Expired."
    shown = pages.not_found()
    assert (shown.code, shown.status, shown.message, shown.title) == (
        "not_found",
        404,
        "Gone.",
        "Not here",
    )
    assert pages.unexpected is ServerError  # a class of the tree is used as it is


@pytest.mark.parametrize(
    ("path", "accept", "expected"),
    [
        ("/token", "*/*", True),
        ("/api/cards", "text/html", True),
        ("/login", "application/json", True),
        ("/login", "text/html,application/json;q=0.9", False),
        ("/apis", None, False),
    ],
)
def test_a_machine_is_known_by_its_endpoint_or_its_accept_header(app, path, accept, expected):
    wants_json = machine_request(paths={"/token"}, prefixes=("/api/",))
    headers = {"Accept": accept} if accept else {}
    with app.test_request_context(path, headers=headers):
        assert wants_json() is expected
