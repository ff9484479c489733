from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "lantern.plans"
    label = "plans"
