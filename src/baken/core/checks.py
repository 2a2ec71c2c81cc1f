from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_from_environment(app_configs, **kwargs):
    if settings.DEBUG or settings.SECRET_KEY_FROM_ENVIRONMENT:
        return []
    return [
        Error(
            "BAKEN_SECRET_KEY is not set; a key generated into var/ is for development only.",
            hint="Set BAKEN_SECRET_KEY to a long random value kept outside the checkout.",
            id="baken.E001",
        )
    ]
