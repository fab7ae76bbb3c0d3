from django.urls import path

from demands.feeds import NewDemandsFeed
from demands.views import answers, imports, moderation, public, workspace

app_name = "demands"

urlpatterns = [
    # Public
    path("", public.demand_list, name="list"),
    path("<int:pk>/", public.detail, name="detail"),
    path("feed/", NewDemandsFeed(), name="feed"),
    # Answers: written by sellers, compared by the demand's organisation (never public)
    path("<int:pk>/answer/", answers.answer, name="answer"),
    path("<int:pk>/answers/", answers.answers, name="answers"),
    path("answers/<int:pk>/negotiate/", answers.negotiate, name="answer_negotiate"),
    path("answers/<int:pk>/withdraw/", answers.withdraw, name="answer_withdraw"),
    # The organisation's workspace
    path("workspace/", workspace.my_demands, name="my_demands"),
    path("workspace/new/", workspace.create, name="create"),
    path("workspace/<int:pk>/", workspace.edit, name="edit"),
    path("workspace/<int:pk>/status/", workspace.change_status, name="change_status"),
    # Centre staff
    path("moderation/", moderation.queue, name="moderation_queue"),
    path("moderation/<int:pk>/", moderation.review, name="moderation_review"),
    path("moderation/import/", imports.survey_import, name="import"),
    path("moderation/import/<uuid:task_id>/", imports.survey_import_status, name="import_status"),
    path("moderation/import/template.<str:fmt>", imports.survey_template, name="import_template"),
]
