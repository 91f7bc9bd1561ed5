from django.urls import path

from apps.scorecards import views

app_name = "scorecards"
urlpatterns = [
    path("", views.ScorecardListView.as_view(), name="list"),
    path("new/", views.ScorecardCreateView.as_view(), name="create"),
    path("weights/", views.WeightProfileView.as_view(), name="weights"),
    path("policy/", views.DataPolicyView.as_view(), name="policy"),
    path("<int:pk>/", views.ScorecardDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ScorecardEditView.as_view(), name="edit"),
    path("<int:pk>/freeze/", views.ScorecardActionView.as_view(action="freeze"), name="freeze"),
    path("<int:pk>/new-version/", views.ScorecardActionView.as_view(action="new_version"), name="new_version"),
    path("<int:pk>/delete/", views.ScorecardActionView.as_view(action="delete"), name="delete"),
    path("<int:pk>/snapshot.json", views.ScorecardSnapshotView.as_view(), name="snapshot"),
    path("<int:pk>/candidates/add/", views.CandidateAddView.as_view(), name="candidate_add"),
    path("candidates/<int:pk>/edit/", views.CandidateEditView.as_view(), name="candidate_edit"),
    path("candidates/<int:pk>/remove/", views.CandidateRemoveView.as_view(), name="candidate_remove"),
]
