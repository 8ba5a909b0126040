from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("export.csv", views.complaint_export, name="export"),
    path("register/", views.branch_register, name="branch-register"),
    path("new/", views.complaint_register, name="register"),
    path("new/customer/", views.customer_lookup, name="customer-lookup"),
    path("<int:pk>/", views.complaint_detail, name="detail"),
    path("<int:pk>/acknowledgement/", views.acknowledgement, name="acknowledgement"),
    path("<int:pk>/forward/", views.forward, name="forward"),
    path("<int:pk>/pages/", views.add_pages, name="add-pages"),
    path("<int:pk>/customer/", views.complete_draft, name="complete-draft"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/clock/pause/", views.pause_clock, name="pause-clock"),
    path("<int:pk>/clock/resume/", views.resume_clock, name="resume-clock"),
    path("<int:pk>/letter/", views.answer_letter, name="answer-letter"),
    path("<int:pk>/letter/prepare/", views.prepare_letter, name="prepare-letter"),
    path("pages/<int:pk>/", views.page_image, name="page-image"),
    path("pages/<int:pk>/thumbnail/", views.page_thumbnail, name="page-thumbnail"),
]
