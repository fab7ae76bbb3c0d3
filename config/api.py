"""The open JSON interface (信息互联互通), described by one OpenAPI document at /api/v1/openapi.json.

Each app contributes a router; the project assembles them here, like urls.py. The public routers only read; the
/organisation/ routers let an organisation's own systems write its listings and demands with an API token
(marketplace.organisations.api_auth), through the same forms, services and moderation as the site's pages.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from marketplace.core.api_errors import InvalidData, service_errors
from marketplace.core.api_schemas import InvalidParametersOut, NotFoundOut, ParameterErrorOut
from marketplace.organisations.api_auth import (
    ApiRateLimited,
    ApiScopeMissing,
    ApiTokenRefused,
    IdempotencyConflict,
)

# What an operation that needs an organisation's token may answer besides its own answers.
TOKEN_REFUSALS = {
    401: "No token, or an unknown or revoked one (the reason is in `detail`)",
    403: "The token lacks the operation's scope, or the organisation may not do this",
    429: "The token sent too many requests; the Retry-After header says how many seconds to wait at most",
}


class DocumentedErrorsAPI(NinjaAPI):
    """Every operation's refusals in the document: 422 (each parameter named, with a reason) for every operation,
    added here so that a router added later is covered without declaring it; 404 where a route declares it."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (NotFoundOut, ParameterErrorOut, InvalidParametersOut):
            definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components[model.__name__] = definition
        for operations in schema["paths"].values():
            for operation in operations.values():
                answers = operation.setdefault("responses", {})
                answers.setdefault(422, _answer("A parameter is invalid", InvalidParametersOut))
                if operation.get("security"):
                    for code, description in TOKEN_REFUSALS.items():
                        answers.setdefault(code, _answer(description, NotFoundOut))
        return schema


def _answer(description: str, model: type[ParameterErrorOut | InvalidParametersOut | NotFoundOut]) -> dict:
    reference = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"description": description, "content": {"application/json": {"schema": reference}}}


api = DocumentedErrorsAPI(
    title="Zhejiang IP Exchange open API",
    version="1",
    description=(
        "Published listings, published technology demands and the technology-market indicators, for anyone "
        "(read-only). Under /api/v1/organisation/, an organisation's own systems keep its listings and demands in "
        "step with an API token (bearer): create drafts, edit them, submit them for review by the organisation's "
        "operation centre, withdraw or close them, and read them back in every status. The same rules as the "
        "site's forms apply, a refused request saves nothing and says what is wrong field by field (422), and "
        "creates accept an Idempotency-Key header so that a retry never creates a second item."
    ),
    urls_namespace="api",
)
api.add_router("/listings", "search.api.router")
api.add_router("/demands", "demands.api.router")
api.add_router("/indicators", "indicators.api.router")
api.add_router("/organisation/listings", "listings.api.router")
api.add_router("/organisation/demands", "demands.api.organisation_router")


def _parameter_named(location) -> str:
    """The query parameter an error is about, from ninja's location of it: ("query", "year") names `year`; a
    repeatable one's value is located by the view's argument and its position, ("query", "params", "by", 0), and
    named `by` all the same. An error about several parameters together is about the "request". A field of a
    JSON body is named by its path below the body, dotted: ("body", "payload", "terms", 0, "mode") is
    `terms.0.mode`; the body as a whole (not JSON, not an object) is `body`."""
    if location and location[0] == "body":
        path = [str(part) for part in location[2:]]
        return ".".join(path) if path else "body"
    names = [part for part in location[1:] if isinstance(part, str)]
    return names[-1] if names else "request"


@api.exception_handler(NinjaValidationError)
def invalid_parameters(request, error: NinjaValidationError):
    # Say which parameter is wrong and why, in plain words, with the 4xx ninja would give anyway.
    reasons = [{"parameter": _parameter_named(item.get("loc", [])), "reason": item.get("msg")} for item in error.errors]
    return api.create_response(request, {"detail": "invalid parameters", "errors": reasons}, status=422)


@api.exception_handler(Http404)
def not_found(request, error: Http404):
    return api.create_response(request, {"detail": str(error) or "not found"}, status=404)


@api.exception_handler(InvalidData)
def invalid_data(request, error: InvalidData):
    # A write refused by the forms' rules: every field with its reason, and nothing saved.
    return api.create_response(request, {"detail": "invalid data", "errors": error.errors}, status=422)


@api.exception_handler(DjangoValidationError)
def refused_by_a_service(request, error: DjangoValidationError):
    return api.create_response(request, {"detail": "invalid data", "errors": service_errors(error)}, status=422)


@api.exception_handler(PermissionDenied)
def not_permitted(request, error: PermissionDenied):
    return api.create_response(request, {"detail": str(error) or "not permitted"}, status=403)


@api.exception_handler(ApiTokenRefused)
@api.exception_handler(AuthenticationError)
def not_authenticated(request, error: Exception):
    response = api.create_response(request, {"detail": str(error) or "not authenticated"}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api", error="invalid_token"'
    return response


@api.exception_handler(ApiScopeMissing)
def missing_scope(request, error: ApiScopeMissing):
    response = api.create_response(request, {"detail": str(error)}, status=403)
    response["WWW-Authenticate"] = 'Bearer realm="api", error="insufficient_scope"'
    return response


@api.exception_handler(ApiRateLimited)
def too_many_requests(request, error: ApiRateLimited):
    response = api.create_response(request, {"detail": str(error)}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


@api.exception_handler(IdempotencyConflict)
def idempotency_conflict(request, error: IdempotencyConflict):
    return api.create_response(request, {"detail": str(error)}, status=409)
