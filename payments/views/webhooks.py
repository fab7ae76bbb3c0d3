"""The gateway's webhook: verify, record, act once."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payments.gateways import get_gateway
from payments.gateways.base import InvalidSignature, PaymentError
from payments.services import webhook_handle


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Verify, record, act once. Quick: one lookup and at most one state read from the gateway."""
    try:
        event = get_gateway().parse_webhook(request.body, request.headers.get("Stripe-Signature", ""))
    except InvalidSignature:
        return HttpResponseBadRequest("invalid signature")
    try:
        outcome = webhook_handle(event)
    except PaymentError:
        # The gateway could not be read: answer 503 so it retries later; nothing has changed.
        return HttpResponse("gateway unavailable, retry", status=503)
    return HttpResponse(outcome)
