"""The API's blueprint under /api/v1 and how it answers errors: JSON with a code and a Swedish message."""
from flask import Blueprint, jsonify, request
from werkzeug.exceptions import HTTPException

from ..errors import ServiceError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
CODES = {404: "not_found", 401: "unauthorized", 403: "forbidden", 405: "method_not_allowed",
         413: "too_large", 429: "too_many_requests", 500: "internal"}


@bp.errorhandler(ServiceError)
def service_error(error: ServiceError):
    """Answer a refused request with its code and Swedish message."""
    return jsonify({"error": error.to_dict()}), error.status


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    """Answer HTTP errors inside the API as JSON too."""
    response = jsonify({"error": ServiceError(CODES.get(error.code, "bad_request")).to_dict()})
    if error.code == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response, error.code


def unrouted(error: HTTPException):
    """A path under /api/ that matches no endpoint (an id that is no integer, a wrong method) answers JSON."""
    if request.path.startswith(bp.url_prefix + "/"):
        return http_error(error)
    return error
