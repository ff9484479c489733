from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "lantern.children"
    label = "children"

    def ready(self) -> None:
        from lantern.accounts.access import Cap
        from lantern.children import demo
        from lantern.core.navigation import NavItem, register
        from lantern.demo.registry import Generator
        from lantern.demo.registry import register as register_generator

        register(NavItem("Children", "children:child-list", Cap.VIEW_CHILDREN, order=40))
        register_generator(Generator("children", 60, demo.generate))
