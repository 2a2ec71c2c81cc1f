"""Password rules with messages of our own.

Django 5.2 changed the wording of the minimum-length message, and its Dutch catalogue has not
caught up: the message would appear in English. This subclass carries a translated message.
"""

from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLength
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class MinimumLengthValidator(DjangoMinimumLength):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short")

    def get_error_message(self):
        return ngettext(
            "This password is too short. It needs at least %(count)d character.",
            "This password is too short. It needs at least %(count)d characters.",
            self.min_length,
        ) % {"count": self.min_length}
