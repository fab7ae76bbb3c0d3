"""Reading a response against the Content Security Policy: the header it carries and what in its page the policy
would refuse. Used by the walk over every page (test_permission_matrix.py) and test_content_security_policy.py."""

import re
from html.parser import HTMLParser

from django.utils.csp import CSP, build_policy

NONCE = re.compile(r"'nonce-([^']+)'")
# <script> types a browser runs; any other (application/json, application/ld+json) is data the policy ignores.
SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript", "text/ecmascript", "application/ecmascript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcdoc", "xlink:href"}
# An uploaded file keeps the stricter policy it is served with (marketplace.core.downloads).
FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


class Markup(HTMLParser):
    """What in a page the strict policy would refuse, and the nonces its elements carry."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refused: list[str] = []
        self.inline_script_nonces: list[str | None] = []
        self.nonces: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.refused.append(f"<{tag} {name}=…>: an inline event handler")
            elif name == "style":
                self.refused.append(f"<{tag} style=…>: an inline style")
            elif name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.refused.append(f"<{tag} {name}={value!r}>: a javascript: address")
        if "nonce" in attributes:
            self.nonces.append(attributes["nonce"])
        script_type = (attributes.get("type") or "").strip().lower()
        if tag == "script" and "src" not in attributes and script_type in SCRIPT_TYPES:
            self.inline_script_nonces.append(attributes.get("nonce"))
        if tag == "style" and "nonce" not in attributes:
            self.refused.append("<style>: an inline style sheet")


def markup_of(content: bytes) -> Markup:
    parser = Markup()
    parser.feed(content.decode("utf-8", errors="replace"))
    return parser


def nonce_sent(response) -> str | None:
    found = NONCE.search(response.get(CSP.HEADER_ENFORCE, ""))
    return found.group(1) if found else None


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def policy_problems(response, content: bytes, *, policy: dict) -> list[str]:
    """The response carries `policy` (with its own nonce, if it used one), and its page holds nothing the policy
    refuses: no inline handler, style or javascript: address, and every inline script with the response's nonce."""
    sent = response.get(CSP.HEADER_ENFORCE)
    if sent is None:
        return ["no Content-Security-Policy header"]
    if sent == FILE_POLICY:
        return []
    nonce = nonce_sent(response)
    problems = [] if sent == build_policy(policy, nonce) else [f"another policy: {sent}"]
    if is_html(response):
        markup = markup_of(content)
        problems += markup.refused
        problems += [
            f"an inline script with nonce={found!r}" for found in markup.inline_script_nonces if found != nonce
        ]
        problems += [f"nonce={found!r}, not this response's" for found in markup.nonces if found != nonce]
    return problems
