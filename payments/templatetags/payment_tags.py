from django import template

register = template.Library()


@register.filter
def fen_as_yuan_input(fen: int | None) -> str:
    """An amount in fen as a form field value in yuan: 1234550 -> '12345.50' (no symbol, no grouping)."""
    if fen is None or fen == "":
        return ""
    fen = int(fen)
    return f"{fen // 100}.{fen % 100:02d}"


@register.filter
def transfer_reference(instalment) -> str:
    """The code a buyer quotes when paying this instalment by bank transfer."""
    from payments.services import transfer_reference as reference_of

    return reference_of(instalment)
