import factory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from baken.accounts.models import Team, User
from baken.core.roles import Role

PASSWORD = "correct-horse-battery-9"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Jan"
    last_name = factory.Sequence(lambda n: f"Tester{n}")
    role = Role.ANALYST
    team = factory.SubFactory(TeamFactory, name="OOV Test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def with_totp(self, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTPDevice.objects.create(user=self, name="test", confirmed=True)
        self.save()


def current_code(user, offset: int = 0) -> str:
    """The code the user's authenticator would show now (offset steps ahead)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=offset):06d}"
