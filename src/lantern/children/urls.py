app_name = "children"
urlpatterns: list = []
