from django.urls import path

from . import views

app_name = "forum"

urlpatterns = [
    path("medlemmer/forum/", views.index, name="index"),
    path("medlemmer/forum/soeg/", views.search, name="search"),
    path("medlemmer/forum/foelg/", views.subscribe, name="subscribe"),
    path("medlemmer/forum/kategori/<slug:slug>/", views.category, name="category"),
    path("medlemmer/forum/kategori/<slug:slug>/ny-traad/", views.new_thread, name="new_thread"),
    path("medlemmer/forum/traad/<id:pk>/", views.thread, name="thread"),
    path("medlemmer/forum/traad/<id:pk>/moderer/", views.moderate, name="moderate"),
    path("medlemmer/forum/indlaeg/<id:pk>/", views.post, name="post"),
    path("medlemmer/forum/indlaeg/<id:pk>/ret/", views.edit_post, name="edit_post"),
    path("medlemmer/forum/indlaeg/<id:pk>/anmeld/", views.report, name="report"),
]
