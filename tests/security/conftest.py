"""One seller's world, with an object of every kind the URLs name, and the roles that visit them.

The seller (宁波大学, hosted by the Ningbo centre) has a listing on the market, a draft nobody else may see, a
negotiation with a buyer (宁波甬新材料, registered below Ningbo) holding a private message and an offer, a signed
deal agreed in an earlier negotiation (its agreed price publicly noticed) and a bank transfer awaiting
confirmation. Secrets are marked so a test can look for them in any page.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.deals.conftest import on_market  # noqa: F401 - the published listing fixture
from tests.deals.factories import ORDINARY_LICENCE_TERMS, deal_agreed, negotiation_opened, sign_contract
from tests.factories import ListingFactory, MembershipFactory, OrganisationFactory
from tests.payments.factories import transfer_recorded
from tests.search.conftest import backend  # noqa: F401 - the database search backend fixture

# Who visits, in the order the matrix lists its expectations.
ROLES = ("anonymous", "buyer", "seller", "outsider", "other_broker", "centre_broker", "root")

SECRET_DRAFT_TITLE = "机密草稿固态电解质技术XK7"
SECRET_MESSAGE = "机密报价底线QZ9"
PDF_BYTES = b"%PDF-1.7\n%test\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass
class Objects:
    """Everything a parameterised URL may point at, all belonging to the seller's organisation or its deals."""

    world: object
    listing: object  # published
    draft: object  # draft, secret title
    attachment: object  # a PDF of the published listing
    draft_attachment: object  # a PDF of the draft
    confidential_attachment: object  # a PDF of the published listing marked confidential (behind its NDA)
    negotiation: object  # open, between buyer and seller, with the secret message and an offer
    offer: object
    deal: object  # agreed by negotiation, its price noticed; contract signed, upfront fee due
    payment: object  # a bank transfer recorded by the centre's broker, awaiting a second person
    saved_search: object  # the buyer's
    organisation: object  # the seller's
    nomination: object  # a signatory of the seller's organisation awaiting verification, with its letter
    reset_uidb64: str
    reset_token: str
    document: object  # public
    private_document: object  # in a password-protected collection
    policy_index: object
    article: object  # a published policy article
    page: object  # a live Wagtail page with a password restriction
    page_restriction: object
    document_restriction: object
    demand: object  # a published technology demand of the seller's organisation
    demand_draft: object  # its draft demand, with the secret title in it
    drive: object  # a matching drive of the seller's centre (Ningbo), sent
    digest: object  # the digest it sent to a firm registered with Ningbo

    def user(self, role: str):
        return {
            "anonymous": None,
            "buyer": self.world.buyer,
            "seller": self.world.seller,
            "outsider": self.world.outsider,
            "other_broker": self.world.hangzhou_broker,
            "centre_broker": self.world.ningbo_broker,
            "root": self.world.root_staff,
        }[role]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def objects(world, on_market) -> Objects:  # noqa: F811
    from wagtail.documents.models import Document
    from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

    from deals.services.negotiations import offer_propose
    from listings.services import listing_attach
    from marketplace.organisations.services import signatory_nominate
    from search.alerts import saved_search_create
    from tests.cms.conftest import make_article, make_home, make_index

    draft = ListingFactory(seller=world.university, title=SECRET_DRAFT_TITLE, created_by=world.seller)
    demand, demand_draft = _demands(world)
    drive, digest = _drive(world)

    def attach(listing, name):
        upload = SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")
        return listing_attach(listing=listing, actor=world.seller, upload=upload)

    attachment, draft_attachment = attach(on_market, "说明书.pdf"), attach(draft, "草稿附件.pdf")
    confidential_attachment = listing_attach(
        listing=on_market,
        actor=world.seller,
        upload=SimpleUploadedFile("中试数据.pdf", PDF_BYTES, content_type="application/pdf"),
        confidential=True,
    )
    deal = sign_contract(world, _agreed_licence(world, on_market))
    payment = transfer_recorded(deal, world.ningbo_broker, "SEC-0001")
    negotiation = negotiation_opened(world, on_market, message=SECRET_MESSAGE)
    offer = offer_propose(negotiation=negotiation, actor=world.seller, terms=ORDINARY_LICENCE_TERMS)
    saved_search = saved_search_create(user=world.buyer, name="锂电池", text="锂电池", filters={}, language="zh-hans")
    clerk = MembershipFactory(organisation=world.university).user
    nomination = signatory_nominate(
        organisation=world.university,
        actor=world.seller,
        user=clerk,
        capacity="authorised",
        letter=SimpleUploadedFile("授权委托书.pdf", PDF_BYTES, content_type="application/pdf"),
    )

    home = make_home()
    policy_index = make_index(home)
    article = make_article(policy_index, title="一篇公开的政策", body_text="政策正文。")
    make_article(policy_index, title="未发布的政策", publish=False).__class__.objects.filter(
        title="未发布的政策"
    ).update(slug="draft-article", url_path=f"{policy_index.url_path}draft-article/")
    page = home.add_child(instance=Page(title="会员专区", slug="members-only"))
    page_restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="page-secret"
    )
    collection = Collection.get_first_root_node().add_child(name="受限文件")
    document_restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password="doc-secret"
    )
    document = Document.objects.create(
        title="政策原文", file=SimpleUploadedFile("policy.pdf", PDF_BYTES, content_type="application/pdf")
    )
    private_document = Document.objects.create(
        title="内部文件",
        collection=collection,
        file=SimpleUploadedFile("internal.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    return Objects(
        world=world,
        listing=on_market,
        draft=draft,
        attachment=attachment,
        draft_attachment=draft_attachment,
        confidential_attachment=confidential_attachment,
        negotiation=negotiation,
        offer=offer,
        deal=deal,
        payment=payment,
        saved_search=saved_search,
        organisation=world.university,
        nomination=nomination,
        # For someone who never logs in here: logging in changes last_login, which invalidates reset links.
        reset_uidb64=urlsafe_base64_encode(force_bytes(world.stranger.pk)),
        reset_token=default_token_generator.make_token(world.stranger),
        document=document,
        private_document=private_document,
        policy_index=policy_index,
        article=article,
        page=page,
        page_restriction=page_restriction,
        document_restriction=document_restriction,
        demand=demand,
        demand_draft=demand_draft,
        drive=drive,
        digest=digest,
    )


def _agreed_licence(world, listing):
    """The deal: the listing's standard ordinary licence, but agreed in a negotiation (the seller's signatory puts
    the terms on the table, the buyer's accepts them) rather than taken at the published price, so that its price,
    a university's agreed price, has the public notice the matrix probes."""
    standard = listing.terms.get(mode="licence")
    terms = {
        "licence_type": "ordinary",
        "territory": standard.territory,
        "field_of_use": standard.field_of_use,
        "term_years": standard.term_years,
        "upfront_fee_fen": standard.upfront_fee_fen,
        "payment_mode": "fixed",
    }
    return deal_agreed(world, listing, "licence", terms=terms)


def _drive(world):
    """A drive of the Ningbo centre that pushed the university's listings to a firm registered with Ningbo, sent
    through the services (the task runner's part called directly)."""
    from drives.criteria import ListingCriteria, TargetCriteria
    from drives.services import drive_create, drive_pairs_write, drive_send

    firm = OrganisationFactory(name="宁波推送对象企业", centre=world.ningbo)
    drive = drive_create(
        actor=world.ningbo_broker,
        centre=world.ningbo,
        title="宁波大学专利推送",
        listing_criteria=ListingCriteria(seller_ids=[world.university.pk]),
        target_criteria=TargetCriteria(),
        listings_per_firm=5,
    )
    drive_send(drive=drive, actor=world.ningbo_broker)
    drive = drive_pairs_write(drive_id=drive.pk)
    return drive, drive.recipients.get(organisation=firm)


def _demands(world):
    """The seller's organisation also needs something: a published demand, and a draft whose title holds the
    secret (its readers are the draft listing's: the organisation, its centre, root staff)."""
    from datetime import timedelta

    from django.utils import timezone

    from demands.services import demand_create, demand_set_status

    def create(title):
        return demand_create(
            actor=world.seller,
            organisation=world.university,
            title=title,
            description="需要一种低成本的电池回收技术。",
            field="H",
            deal_kinds=["licence"],
            city="ningbo",
            deadline=timezone.localdate() + timedelta(days=30),
        )

    demand = create("公开的技术需求：电池回收")
    demand_set_status(demand=demand, to_status="submitted", actor=world.seller)
    demand_set_status(demand=demand, to_status="published", actor=world.ningbo_broker)
    return demand, create(f"{SECRET_DRAFT_TITLE}需求")
