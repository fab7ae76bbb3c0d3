"""The final contract: once both parties' signatories have signed on the platform, the platform renders the
contract (Chinese, with the English translation) and signs the PDF with its key (deals.contracts.signing). The
signed bytes are kept and served from then on; before that, the contract downloads as a draft."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from deals.contracts.pdf import render_contract_pdf
from deals.contracts.sections import PREVAILING_LANGUAGE, TRANSLATION_LANGUAGE, build_contract_versions
from deals.contracts.signing import platform_certificate, sign_pdf
from deals.models import Deal, SignedContract
from deals.selectors import deal_patents


def signing_record(deal: Deal) -> str:
    """Who signed for each party and when, in the prevailing language and in English: the signature's reason,
    which readers show beside the platform's signature."""
    lines = []
    for language in (PREVAILING_LANGUAGE, TRANSLATION_LANGUAGE):
        with translation.override(language):
            parties = [
                (gettext("Party A"), deal.seller, deal.seller_signed_by, deal.seller_signed_at),
                (gettext("Party B"), deal.buyer, deal.buyer_signed_by, deal.buyer_signed_at),
            ]
            lines.append(
                "; ".join(
                    gettext("%(role)s %(name)s (%(code)s) signed by %(person)s at %(moment)s")
                    % {
                        "role": role,
                        "name": organisation.name,
                        "code": organisation.credit_code,
                        "person": person,
                        "moment": timezone.localtime(moment).isoformat(timespec="seconds"),
                    }
                    for role, organisation, person, moment in parties
                )
            )
    return " / ".join(lines)


@transaction.atomic
def contract_seal(*, deal: Deal) -> SignedContract:
    """The platform signs the final contract of a deal both parties have signed. Idempotent: a deal's contract is
    signed once, and a second call returns that signature (a task may run twice)."""
    deal = (
        Deal.objects.select_for_update(of=("self",))
        .select_related("offer", "buyer", "seller", "centre", "buyer_signed_by", "seller_signed_by")
        .get(pk=deal.pk)
    )
    existing = SignedContract.objects.filter(deal=deal).first()
    if existing is not None:
        return existing
    if deal.buyer_signed_at is None or deal.seller_signed_at is None:
        raise ValidationError(_("The platform signs the contract once both parties have signed it."))
    # The contract as signed: the registration is recorded later and is not part of it.
    chinese, english = build_contract_versions(deal=deal, patents=deal_patents(deal))
    pdf = render_contract_pdf(chinese, translation_of=english)
    with translation.override(PREVAILING_LANGUAGE):
        signed = sign_pdf(
            pdf,
            reason=signing_record(deal),
            location=deal.centre.name,
            contact_info=chinese.reference,
            name=gettext("Zhejiang IP Exchange"),
        )
    return SignedContract.objects.create(
        deal=deal,
        pdf=signed,
        sha256=hashlib.sha256(signed).hexdigest(),
        signed_at=timezone.now(),
        certificate_subject=platform_certificate().subject.human_friendly[:500],
    )
