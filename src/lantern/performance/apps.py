from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "lantern.performance"
    label = "performance"
