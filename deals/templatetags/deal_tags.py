"""Money on deal pages and contracts: integer fen shown as yuan, and in the capital numerals (大写) that Chinese
contracts write amounts in so that they cannot be altered. No float ever touches money."""

from django import template

register = template.Library()

FEN_PER_YUAN = 100
DIGITS = "零壹贰叁肆伍陆柒捌玖"
# Units inside a group of four digits, and of the groups themselves (万 = 10^4, 亿 = 10^8, 万亿 = 10^12).
PLACE_UNITS = ((1000, "仟"), (100, "佰"), (10, "拾"), (1, ""))
GROUP_UNITS = ("", "万", "亿", "万亿")


def format_yuan(fen: int) -> str:
    """50_000_000 fen -> '¥500,000.00'; -150 -> '-¥1.50'."""
    whole, cents = divmod(abs(int(fen)), FEN_PER_YUAN)
    sign = "-" if fen < 0 else ""
    return f"{sign}¥{whole:,}.{cents:02d}"


def _four_digits(number: int) -> str:
    """1..9999 in capitals; zeros inside the group collapse into one 零 (1005 -> 壹仟零伍)."""
    text = ""
    zero_pending = False
    for place, unit in PLACE_UNITS:
        digit = number // place % 10
        if digit == 0:
            zero_pending = bool(text)
            continue
        if zero_pending:
            text += "零"
            zero_pending = False
        text += DIGITS[digit] + unit
    return text


def _whole_yuan_in_capitals(yuan: int) -> str:
    groups = []
    while yuan:
        yuan, group = divmod(yuan, 10_000)
        groups.append(group)
    text = ""
    zero_pending = False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            zero_pending = bool(text)
            continue
        # A skipped group, or a group without thousands after a higher one, is read with a 零 (10005 -> 壹万零伍).
        if text and (zero_pending or group < 1000):
            text += "零"
        text += _four_digits(group) + GROUP_UNITS[index]
        zero_pending = False
    return text


def yuan_in_capitals(fen: int) -> str:
    """50_000_000 fen -> '人民币伍拾万元整'; 1005 -> '人民币壹拾元零伍分'; 50 -> '人民币伍角整'."""
    fen = int(fen)
    if fen < 0:
        raise ValueError("A contract amount cannot be negative.")
    yuan, cents = divmod(fen, FEN_PER_YUAN)
    jiao, fen_digit = divmod(cents, 10)
    text = _whole_yuan_in_capitals(yuan)
    if text:
        text += "元"
    elif not cents:
        text = "零元"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif fen_digit and yuan:
        text += "零"
    if fen_digit:
        text += DIGITS[fen_digit] + "分"
    else:
        text += "整"
    return "人民币" + text


@register.filter
def yuan(fen: int | None) -> str:
    """{{ offer.price_fen|yuan }} -> '¥1,800,000.00'; empty for None."""
    if fen is None or fen == "":
        return ""
    return format_yuan(int(fen))


@register.filter
def deal_badge(status: str) -> str:
    """The badge class of a deal status: done, stopped, or under way."""
    return {"completed": "badge-ok", "cancelled": "badge-bad"}.get(status, "badge-warn")
