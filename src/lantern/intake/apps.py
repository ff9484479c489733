from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "lantern.intake"
    label = "intake"
