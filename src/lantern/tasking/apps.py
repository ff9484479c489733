from django.apps import AppConfig


class TaskingConfig(AppConfig):
    name = "lantern.tasking"
    label = "tasking"
