from flask import Blueprint, request
from werkzeug.wrappers import Response

bp = Blueprint("child", __name__)

# Pages that show a child's answers, reference or status: never kept by any cache, the
# browser's own included, so nothing is readable from the phone after the quick exit.
PRIVATE_PATHS = ("/tell-us/", "/messages")


@bp.after_request
def never_store_what_is_private(response: Response) -> Response:
    if request.path.startswith(PRIVATE_PATHS):
        response.headers["Cache-Control"] = "no-store"
    return response
