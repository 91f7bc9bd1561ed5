from rest_framework.routers import SimpleRouter

from apps.scorecards.api.views import CandidateViewSet, DataPolicyViewSet, ScorecardViewSet, WeightProfileViewSet

router = SimpleRouter()
router.register("scorecards", ScorecardViewSet, basename="scorecard")
router.register("scorecard-candidates", CandidateViewSet, basename="candidate")
router.register("scorecard-weight-profile", WeightProfileViewSet, basename="weight-profile")
router.register("scorecard-data-policy", DataPolicyViewSet, basename="data-policy")

app_name = "scorecards-api"
urlpatterns = router.urls
