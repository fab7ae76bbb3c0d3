"""The open API's refusals, as its document describes them (config.api answers them; routers may declare them)."""

from ninja import Schema


class NotFoundOut(Schema):
    detail: str


class ParameterErrorOut(Schema):
    parameter: str
    reason: str


class InvalidParametersOut(Schema):
    detail: str
    errors: list[ParameterErrorOut]
