"""GOV.UK Design System rendering for Django forms (placeholder until the UI kit lands)."""

from django.forms.renderers import DjangoTemplates


class GovukFormRenderer(DjangoTemplates):
    pass


# Temporary until the UI kit lands (helper overwrites this file).
from django import forms as _f  # noqa: E402


class GovukForm(_f.Form):
    pass


class GovukModelForm(_f.ModelForm):
    pass
