from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lantern.demo"
    label = "demo"

    def ready(self) -> None:
        from lantern.audit.registry import register_record_type
        from lantern.demo import borough
        from lantern.demo.registry import Generator, register

        register(Generator("borough", 0, borough.generate))
        register_record_type("demo", "Synthetic demo data")
