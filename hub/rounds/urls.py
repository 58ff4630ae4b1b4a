"""The hub's routes. tests/hub/test_hub_security.py walks this URLconf, so a new route is attacked
(other authority's ids, viewer, logged out, stale session) without anyone listing it."""

from django.urls import path

from hub.rounds.views import authority, downloads, lead, pages

AUTHORITY = "rounds/<int:round_id>/authorities/<str:code>/"
VERSION = AUTHORITY + "versions/<int:version>/"

urlpatterns = [
    path("", pages.home, name="home"),
    path("rounds/", pages.round_list, name="round_list"),
    path("rounds/new/", lead.open_round, name="open_round"),
    path("rounds/<int:round_id>/", pages.round_detail, name="round"),
    path("rounds/<int:round_id>/dashboard/", lead.dashboard, name="dashboard"),
    path("rounds/<int:round_id>/publish/", lead.publish, name="publish"),
    path("rounds/<int:round_id>/benchmark.xlsx", downloads.benchmark, name="benchmark"),
    path(AUTHORITY, authority.authority_page, name="authority"),
    path(AUTHORITY + "template.xlsx", downloads.template, name="template"),
    path(AUTHORITY + "upload/", authority.upload, name="upload"),
    path(AUTHORITY + "queries/<int:query_id>/confirm/", authority.confirm_query,
         name="confirm_query"),
    path(AUTHORITY + "benchmark.xlsx", downloads.own_benchmark, name="own_benchmark"),
    path(AUTHORITY + "scorecard.xlsx", downloads.scorecard, name="scorecard"),
    path(VERSION, authority.version_page, name="version"),
    path(VERSION + "file.xlsx", downloads.return_file, name="return_file"),
    path(VERSION + "accept/", lead.accept, name="accept"),
    path(VERSION + "reject/", lead.reject, name="reject"),
    path("audit/", pages.audit_log, name="audit"),
]
