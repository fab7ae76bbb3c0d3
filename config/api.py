"""The open JSON interface (信息互联互通), described by one OpenAPI document at /api/v1/openapi.json.

Each app contributes a router; the project assembles them here, like urls.py.
"""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from marketplace.core.api_schemas import InvalidParametersOut, NotFoundOut, ParameterErrorOut


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
        return schema


def _answer(description: str, model: type[ParameterErrorOut | InvalidParametersOut | NotFoundOut]) -> dict:
    reference = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"description": description, "content": {"application/json": {"schema": reference}}}


api = DocumentedErrorsAPI(
    title="Zhejiang IP Exchange open API",
    version="1",
    description=(
        "Read-only access to published listings, published technology demands and the technology-market indicators."
    ),
    urls_namespace="api",
)
api.add_router("/listings", "search.api.router")
api.add_router("/demands", "demands.api.router")
api.add_router("/indicators", "indicators.api.router")


def _parameter_named(location) -> str:
    """The query parameter an error is about, from ninja's location of it: ("query", "year") names `year`; a
    repeatable one's value is located by the view's argument and its position, ("query", "params", "by", 0), and
    named `by` all the same. An error about several parameters together is about the "request"."""
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
