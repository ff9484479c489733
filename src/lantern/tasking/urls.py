app_name = "tasking"
urlpatterns: list = []
