from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("articolo/<int:article_id>/", views.post_comment, name="post"),
    path("modulo/", views.form_started, name="started"),
    path("<int:pk>/segnala/", views.report_comment, name="report"),
    path("conferma/<str:token>/", views.confirm_email, name="confirm"),
    path("pubblica/<str:token>/", views.publish_own_comment, name="publish"),
]
