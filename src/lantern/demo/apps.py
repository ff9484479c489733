from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lantern.demo"
    label = "demo"

    def ready(self) -> None:
        from lantern.demo import borough
        from lantern.demo.registry import Generator, register

        register(Generator("borough", 0, borough.generate))
