from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "baken.demo"
    verbose_name = "Demo"  # the same word in Dutch
