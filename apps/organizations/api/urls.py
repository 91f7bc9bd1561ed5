from rest_framework.routers import SimpleRouter

from apps.organizations.api.views import InvitationViewSet, MembershipViewSet

router = SimpleRouter()
router.register("memberships", MembershipViewSet, basename="membership")
router.register("invitations", InvitationViewSet, basename="invitation")

app_name = "organizations-api"
urlpatterns = router.urls
