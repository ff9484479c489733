from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    name = "lantern.entities"
    label = "entities"
