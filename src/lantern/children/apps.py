from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "lantern.children"
    label = "children"
