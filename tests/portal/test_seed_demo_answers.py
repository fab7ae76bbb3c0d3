"""The demo's answers to demands: two demands answered (one through a broker acting for its seller), a room opened
from an answer, and a demand solved by a demo deal, so the comparison page and the dashboard's "demands solved"
figure show something on first run; seeding again adds nothing."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from demands.models import AnsweredListing, AnswerRole, Demand, DemandAnswer, DemandCloseReason
from indicators.models import SolvedDemand
from marketplace.accounts.models import User
from portal.demo.answers import COATING_DEMAND, VISION_DEMAND
from portal.demo.demands import FIRM_AUTHOR
from tests.factories import sign_in


class SeededDemoAnswersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = StringIO()
        call_command("seed_demo", "--workers", "1", stdout=cls.output)

    def test_two_demands_have_answers_and_the_firm_opened_a_room_from_one(self):
        vision = Demand.objects.get(organisation__name=VISION_DEMAND[0], title=VISION_DEMAND[1])
        coating = Demand.objects.get(organisation__name=COATING_DEMAND[0], title=COATING_DEMAND[1])
        assert vision.answers.count() == 2 and coating.answers.count() == 1
        assert set(vision.answers.values_list("answered_as", flat=True)) == {AnswerRole.MEMBER, AnswerRole.BROKER}
        opened = AnsweredListing.objects.get(demand=vision, negotiation__isnull=False)
        assert opened.negotiation.listing == opened.listing and opened.negotiation.buyer == vision.organisation

        sign_in(self.client, User.objects.get(email=FIRM_AUTHOR))
        page = self.client.get(f"/demands/{vision.pk}/answers/").content.decode()
        assert opened.listing.title in page and f"/deals/negotiations/{opened.negotiation_id}/" in page

    def test_one_demand_is_solved_by_a_demo_deal_and_the_dashboard_counts_it(self):
        solved = Demand.objects.get(close_reason=DemandCloseReason.SOLVED)
        assert solved.solved_by_deal.buyer_id == solved.organisation_id
        assert SolvedDemand.objects.get().demand_id == solved.pk
        page = self.client.get(f"/indicators/?year={timezone.localdate().year}").content.decode()
        assert 'data-figure="demands_solved">1<' in page
        assert "one demand solved" in self.output.getvalue()

    def test_seeding_again_adds_no_answer_and_solves_nothing_more(self):
        answers, solved = DemandAnswer.objects.count(), SolvedDemand.objects.count()
        call_command("seed_demo", "--workers", "1", stdout=StringIO())
        assert DemandAnswer.objects.count() == answers and SolvedDemand.objects.count() == solved
