from django.urls import path

from demands.feeds import NewDemandsFeed
from demands.views import imports, moderation, public, workspace

app_name = "demands"

urlpatterns = [
    # Public
    path("", public.demand_list, name="list"),
    path("<int:pk>/", public.detail, name="detail"),
    path("feed/", NewDemandsFeed(), name="feed"),
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
