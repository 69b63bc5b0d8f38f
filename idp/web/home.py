"""The broker's own start page and static assets."""

from flask import Blueprint
from flask import render_template

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    return render_template("index.html")
