from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "members_area"

urlpatterns = [
    path("medlemmer/", views.dashboard, name="dashboard"),
    path("medlemmer/log-ind/", views.LoginView.as_view(), name="login"),
    path("medlemmer/log-ud/", views.logout_view, name="logout"),
    path("medlemmer/profil/", views.profile, name="profile"),
    path("medlemmer/inviter/", views.invite_colleague, name="invite"),
    path("medlemmer/invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("medlemmer/mine-data/", views.export_data, name="export_data"),
    path("medlemmer/slet-min-konto/", views.erase_account, name="erase_account"),
    path("medlemmer/glemt-adgangskode/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "medlemmer/glemt-adgangskode/sendt/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="members_area/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "medlemmer/ny-adgangskode/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "medlemmer/ny-adgangskode/faerdig/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="members_area/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
