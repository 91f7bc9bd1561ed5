from django.urls import path

from apps.sso import views

app_name = "sso"
urlpatterns = [
    path("", views.SsoIndexView.as_view(), name="index"),
    path("signin/", views.OrgSignInView.as_view(), name="signin"),
    path("policy/", views.PolicyView.as_view(), name="policy"),
    path("connections/new/", views.ConnectionCreateView.as_view(), name="connection_create"),
    path("connections/<int:pk>/", views.ConnectionDetailView.as_view(), name="connection_detail"),
    path("connections/<int:pk>/edit/", views.ConnectionEditView.as_view(), name="connection_edit"),
    path("connections/<int:pk>/test/", views.ConnectionTestView.as_view(), name="connection_test"),
    path("connections/<int:pk>/delete/", views.ConnectionDeleteView.as_view(), name="connection_delete"),
    path("domains/", views.DomainListView.as_view(), name="domains"),
    path("domains/<int:pk>/", views.DomainDetailView.as_view(), name="domain_detail"),
    path("domains/<int:pk>/verify-dns/", views.DomainVerifyDnsView.as_view(), name="domain_verify_dns"),
    path("domains/<int:pk>/send-email/", views.DomainSendEmailView.as_view(), name="domain_send_email"),
    path("domains/<int:pk>/delete/", views.DomainDeleteView.as_view(), name="domain_delete"),
]
