"""The API's blueprint under /api/v1 and how it answers errors: JSON with a code and a Swedish message."""
from flask import Blueprint, jsonify
from werkzeug.exceptions import HTTPException

from ..errors import ServiceError

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.errorhandler(ServiceError)
def service_error(error: ServiceError):
    """Answer a refused request with its code and Swedish message."""
    return jsonify({"error": error.to_dict()}), error.status


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    """Answer HTTP errors inside the API as JSON too."""
    code = {404: "not_found", 401: "unauthorized", 403: "forbidden", 429: "too_many_requests"}.get(
        error.code, "bad_request")
    return jsonify({"error": ServiceError(code).to_dict()}), error.code
