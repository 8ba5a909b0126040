from django.urls import path

from . import views

app_name = "callbacks"

urlpatterns = [
    path("", views.callback_list, name="list"),
    path("mine/", views.my_callbacks, name="mine"),
    path("done-today/", views.done_today, name="done-today"),
    path("take-next/", views.take_next, name="take-next"),
    path("new/", views.callback_create, name="create"),
    path("new/due/", views.due_preview, name="due-preview"),
    path("reassign/", views.callback_reassign, name="reassign"),
    path("<int:pk>/", views.callback_detail, name="detail"),
    path("<int:pk>/attempts/", views.attempt_create, name="attempt"),
    path("<int:pk>/cancel/", views.callback_cancel, name="cancel"),
    path("<int:pk>/clock/pause/", views.clock_pause, name="pause-clock"),
    path("<int:pk>/clock/resume/", views.clock_resume, name="resume-clock"),
]
