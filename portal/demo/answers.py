"""Answers to the demo's technology demands, and one demand solved, so that the answers' comparison, the rooms opened
from them and the dashboard's "demands solved" figure show something on first run.

- 杭州数衡 (the demo buyer's firm) has two answers to its visual-inspection demand: 浙江大学 answered through its demo
  account, another seller through a broker of its centre acting for it; the firm opened a room from 浙江大学's
  first listing. `buyer@demo.ipx.cn` sees them side by side at /demands/<pk>/answers/.
- 宁波甬新's cathode-coating demand has an answer of the CAS Ningbo institute (`seller.nimte@demo.ipx.cn`).
- One other firm closed its demand as solved, naming a deal it made as buyer.

Made through the demands' own services, after the listings and the deals (they answer with published listings and
name a demo deal). Idempotent: an organisation's answer to a demand is made once, and a closed demand stays closed.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from deals.models import Deal, DealStatus
from demands.answers import answered_listing_negotiate, demand_answer_create
from demands.models import AnsweredListing, Demand, DemandAnswer, DemandCloseReason, DemandStatus
from demands.services import demand_set_status
from listings.models import Listing, ListingStatus
from marketplace.centres.models import CentreStaff
from marketplace.organisations.models import Organisation
from portal.demo.deals.people import signatory_of
from portal.demo.demands import FIRM_AUTHOR

VISION_DEMAND = ("杭州数衡智能科技有限公司", "工业质检视觉算法：小样本缺陷识别")
COATING_DEMAND = ("宁波甬新材料科技有限公司", "高镍正极材料包覆改性量产技术")
ZJU, ZJU_ACCOUNT = "浙江大学", "seller.zju@demo.ipx.cn"
NIMTE, NIMTE_ACCOUNT = "中国科学院宁波材料技术与工程研究所", "seller.nimte@demo.ipx.cn"

ZJU_MESSAGE = (
    "浙江大学计算机学院团队的小样本缺陷检测专利已在三条汽车零部件产线试用，每类缺陷20张样本即可训练，"
    "漏检率0.4%，工控机单张推理约60毫秒。可普通许可，也可联合开发适配贵司设备。"
)
BROKER_MESSAGE = "受卖方委托推荐：该专利的无监督异常检测方法不需要缺陷样本，适合新产线冷启动，欢迎询价。"
NIMTE_MESSAGE = (
    "宁波材料所的高镍正极包覆专利已完成吨级中试，45℃循环1000次容量保持率86%，工艺与现有烧结线兼容，可许可或转让。"
)


@dataclass(frozen=True)
class AnswersSeeded:
    answers: int
    created: int
    solved: bool
    skipped_reason: str = ""


def _listings_for(seller: Organisation, field: str, count: int) -> list[Listing]:
    """The seller's published listings in the demand's field (by its lead patents), the oldest first; any of its
    published listings if none is in the field."""
    published = Listing.objects.filter(seller=seller, status=ListingStatus.PUBLISHED).order_by("pk")
    in_field = list(published.filter(listing_patents__patent__ipc_section=field).distinct()[:count])
    return in_field or list(published[:count])


def _broker_of(listing: Listing):
    staff = CentreStaff.objects.filter(centre_id=listing.centre_id).select_related("user").order_by("id").first()
    return staff.user if staff is not None else None


def _answer(demand: Demand, seller: Organisation, actor, message: str, count: int = 2) -> DemandAnswer | None:
    existing = DemandAnswer.objects.filter(demand=demand, organisation=seller).first()
    if existing is not None:
        return existing
    listings = _listings_for(seller, demand.field, count)
    if not listings or actor is None:
        return None
    return demand_answer_create(demand=demand, actor=actor, listings=listings, message=message)


def _second_seller(demand: Demand, *, besides: set[int]) -> tuple[Organisation, object] | None:
    """A seller (not the firm, not those already answering) with a published listing in the demand's field whose
    centre has a broker: that broker answers for it."""
    candidates = (
        Listing.objects.filter(status=ListingStatus.PUBLISHED, listing_patents__patent__ipc_section=demand.field)
        .exclude(seller_id__in={demand.organisation_id, *besides})
        .order_by("pk")
        .select_related("seller")
    )
    for listing in candidates[:50]:
        broker = _broker_of(listing)
        if broker is not None:
            return listing.seller, broker
    return None


@transaction.atomic
def seed_demand_answers() -> AnswersSeeded:
    users = get_user_model().objects
    demands = {
        key: Demand.objects.filter(organisation__name=key[0], title=key[1]).select_related("organisation").first()
        for key in (VISION_DEMAND, COATING_DEMAND)
    }
    if not all(demand and demand.status == DemandStatus.PUBLISHED for demand in demands.values()):
        return AnswersSeeded(0, 0, False, "the demo demands are not published")
    before = DemandAnswer.objects.count()

    vision = demands[VISION_DEMAND]
    zju = Organisation.objects.get(name=ZJU)
    zju_answer = _answer(vision, zju, users.filter(email=ZJU_ACCOUNT).first(), ZJU_MESSAGE)
    second = _second_seller(vision, besides={zju.pk})
    if second is not None:
        _answer(vision, second[0], second[1], BROKER_MESSAGE, count=1)
    if zju_answer is not None:
        first = AnsweredListing.objects.filter(answer=zju_answer).select_related("listing").order_by("pk").first()
        mode = first.listing.terms.filter(is_open=True).order_by("mode").values_list("mode", flat=True).first()
        buyer = users.filter(email=FIRM_AUTHOR).first()
        if first.negotiation_id is None and mode and buyer is not None and first.listing.is_on_market:
            answered_listing_negotiate(answered=first, mode=mode, actor=buyer)

    coating = demands[COATING_DEMAND]
    _answer(coating, Organisation.objects.get(name=NIMTE), users.filter(email=NIMTE_ACCOUNT).first(), NIMTE_MESSAGE)

    answers = DemandAnswer.objects.count()
    return AnswersSeeded(answers, answers - before, _close_one_as_solved(besides={vision.pk, coating.pk}))


def _close_one_as_solved(*, besides: set[int]) -> bool:
    """A firm that bought through the platform closes one of its published demands as solved, naming its latest
    completed deal (by its signatory, as the firm's own page does)."""
    if Demand.objects.filter(close_reason=DemandCloseReason.SOLVED, solved_by_deal__isnull=False).exists():
        return True
    published = Demand.objects.filter(status=DemandStatus.PUBLISHED).exclude(pk__in=besides)
    for demand in published.select_related("organisation").order_by("pk"):
        completed = Deal.objects.filter(buyer=demand.organisation, status=DealStatus.COMPLETED)
        deal = completed.order_by("-completed_at", "-pk").first()
        if deal is None:
            continue
        demand_set_status(
            demand=demand,
            to_status=DemandStatus.CLOSED,
            actor=signatory_of(demand.organisation),
            close_reason=DemandCloseReason.SOLVED,
            deal=deal,
            note="通过平台成交，需求已解决。",
        )
        return True
    return False
