"""GOV.UK Design System rendering for Django forms.

Forms render through Django's own form rendering API. FORM_RENDERER points at
GovukFormRenderer, whose templates lay out each field as a GOV.UK form group: a label (or a
fieldset and legend for radios, checkboxes and multi-part widgets), the hint, the error
message and the widget. GovukForm and GovukModelForm give every widget its GOV.UK classes and
draw radios and checkboxes in GOV.UK markup:

    class ArchiveForm(GovukForm):
        reason = forms.CharField(label="Why is this being archived?", widget=forms.Textarea)

    {{ form }}                         every field, hidden fields and non-field errors
    {{ form.reason.as_field_group }}   one question
"""

from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Input
from django.utils.safestring import mark_safe

from lantern.core.dates import GovukDateInput, use_govuk_date_input

# GOV.UK classes that have an error variant, e.g. govuk-input -> govuk-input--error.
ERROR_VARIANT_CLASSES = ("govuk-input", "govuk-textarea", "govuk-select", "govuk-file-upload")

DATE_INPUT_FORMAT = "%Y-%m-%d"  # the only format an <input type="date"> accepts


class GovukBoundField(BoundField):
    """A field that, when rendered, points at its GOV.UK hint and error and shows its error."""

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error"

    @property
    def input_id(self) -> str:
        """The id of the field's input (the first one, for radios): the error summary's link."""
        widget = self.field.widget
        id_ = widget.attrs.get("id") or self.auto_id
        if isinstance(widget, forms.RadioSelect):  # and CheckboxSelectMultiple
            return widget.id_for_label(id_, "0")
        return widget.id_for_label(id_) or id_

    @property
    def is_single_checkbox(self) -> bool:
        """A lone checkbox (a BooleanField): its label sits beside the box, not above it."""
        return isinstance(self.field.widget, forms.CheckboxInput)

    @property
    def aria_describedby(self) -> str | None:
        """The ids of the hint and error message, in GOV.UK order; None if set on the widget."""
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        ids = []
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                ids.append(self.hint_id)
            if self.errors:
                ids.append(self.error_id)
        return " ".join(ids)

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        """The widget; radios that reveal other questions get those questions' HTML first."""
        reveals = getattr(self.form, "conditional_fields", {}).get(self.name)
        target = widget or self.field.widget
        if reveals and isinstance(target, GovukRadioSelect):
            target.conditional_html = {
                str(value): "".join(str(self.form[name].as_field_group()) for name in names)
                for value, names in reveals.items()
            }
        return super().as_widget(widget, attrs, only_initial)

    def build_widget_attrs(self, attrs, widget=None):
        """Django's attributes, plus the GOV.UK error variant of the widget's class."""
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.errors and isinstance(widget, GovukDateInput):
            attrs["class"] = "govuk-input--error"  # read by the widget to mark its parts
            return attrs
        if self.errors:
            classes = _class_list(attrs.get("class") or widget.attrs.get("class"))
            error_classes = [f"{name}--error" for name in ERROR_VARIANT_CLASSES if name in classes]
            if error_classes:
                attrs["class"] = " ".join(_merge_classes(classes, error_classes))
        return attrs


class GovukFormRenderer(DjangoTemplates):
    """Renders forms, fields and Lantern's widgets with the GOV.UK templates in core."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = GovukBoundField


class GovukRadioSelect(forms.RadioSelect):
    """Radios in GOV.UK markup. The first radio's id is the field's id, so links reach it.

    A radio can reveal further questions when chosen (GOV.UK's conditional reveal): the form
    names them in `conditional_fields`, and they are drawn under that radio, not on their own.
    """

    template_name = "core/widgets/radios.html"
    conditional_html: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        reveal = self.conditional_html.get(str(value))
        if reveal:
            option["conditional"] = mark_safe(reveal)  # noqa: S308 - our own rendered fields
            option["conditional_id"] = f"conditional-{option['attrs']['id']}"
            option["attrs"]["data-aria-controls"] = option["conditional_id"]
        return option

    def id_for_label(self, id_, index=None):
        return _option_id(id_, index, super().id_for_label)


class GovukCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes in GOV.UK markup. The first box's id is the field's id, so links reach it."""

    template_name = "core/widgets/checkboxes.html"

    def id_for_label(self, id_, index=None):
        return _option_id(id_, index, super().id_for_label)


class GovukFormMixin:
    """Give each widget its GOV.UK classes. Put it before forms.Form or forms.ModelForm.

    Fields added after __init__ can be given the same treatment with govuk_widget().
    `conditional_fields` maps a radio field to the questions each of its choices reveals,
    `{"outcome": {"closed": ("closure_reason", "rationale")}}`: those are drawn under the
    radio (hidden until it is chosen, with JavaScript) instead of in the list of questions.
    """

    conditional_fields: dict[str, dict[str, tuple[str, ...]]] = {}

    def get_context(self):
        context = super().get_context()
        revealed = {
            name
            for choices in self.conditional_fields.values()
            for names in choices.values()
            for name in names
        }
        context["fields"] = [(f, e) for f, e in context["fields"] if f.name not in revealed]
        return context

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # GOV.UK labels end without a colon
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                use_govuk_date_input(field)
            field.widget = govuk_widget(field.widget)


class SaysWhatToDoMixin:
    """Replace Django's default field messages ("This field is required.") with GOV.UK ones.

    A message the form sets itself is kept; only Django's defaults are replaced, with wording
    built from the field's label: "Enter the full name", "Select a team from the list",
    "Job title must be 200 characters or fewer". Put it before GovukForm or GovukModelForm.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            say_what_to_do(field, name)


def say_what_to_do(field: forms.Field, name: str) -> None:
    """Give one field GOV.UK messages wherever it still has Django's default wording."""
    label = str(field.label or name.replace("_", " ").capitalize())
    lower = label[0].lower() + label[1:]
    choosing = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
    defaults = _django_defaults(field)
    messages = field.error_messages
    if field.widget.is_hidden:
        wording = "This page is out of date. Reload it, make your changes again and save"
        for code in ("required", "invalid", "invalid_choice", "max_length"):
            if code in messages and str(messages[code]) == defaults.get(code):
                messages[code] = wording
        return
    from_the_list = f"Choose {_a(lower)} from the list"
    wanted = {
        "required": f"Select {_a(lower)}" if choosing else f"Enter {_a(lower)}",
        "invalid_choice": from_the_list,
        "invalid_pk_value": from_the_list,
        "invalid_list": from_the_list,
        "max_length": f"{label} must be %(limit_value)d characters or fewer",
        "min_length": f"{label} must be %(limit_value)d characters or more",
        "invalid": f"Enter {_a(lower)} in the correct format",
    }
    if getattr(field, "max_length", None) is None:
        del wanted["max_length"]
    if getattr(field, "min_length", None) is None:
        del wanted["min_length"]
    for code, wording in wanted.items():
        declared = code in messages or code in ("max_length", "min_length")
        if declared and str(messages.get(code, "")) in ("", defaults.get(code)):
            messages[code] = wording


def _django_defaults(field: forms.Field) -> dict[str, str]:
    """The messages Django would give this kind of field, to tell them from the form's own."""
    defaults: dict[str, str] = {}
    for klass in reversed(type(field).__mro__):
        defaults.update(getattr(klass, "default_error_messages", {}))
    return {code: str(message) for code, message in defaults.items()}


def _a(noun: str) -> str:
    """'an agency', 'a team'; a plural label ('roles') takes no article."""
    if noun.endswith("s") and not noun.endswith("ss"):
        return noun
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


class GovukForm(GovukFormMixin, forms.Form):
    """A form whose fields render as GOV.UK form groups."""


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    """A model form whose fields render as GOV.UK form groups."""


def govuk_widget(widget: forms.Widget) -> forms.Widget:
    """The widget with its GOV.UK class; radios and checkboxes become their GOV.UK versions."""
    if isinstance(widget, forms.MultiWidget):
        widget.widgets = [govuk_widget(part) for part in widget.widgets]
        return widget
    if widget.is_hidden:
        return widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        widget = _replace_choice_widget(widget, GovukCheckboxSelectMultiple)
        _add_class(widget, "govuk-checkboxes__input")
    elif isinstance(widget, forms.RadioSelect):
        widget = _replace_choice_widget(widget, GovukRadioSelect)
        _add_class(widget, "govuk-radios__input")
    elif isinstance(widget, forms.CheckboxInput):
        _add_class(widget, "govuk-checkboxes__input")
    elif isinstance(widget, forms.Select):
        _add_class(widget, "govuk-select")
    elif isinstance(widget, forms.Textarea):
        _add_class(widget, "govuk-textarea")
    elif isinstance(widget, forms.FileInput):
        _add_class(widget, "govuk-file-upload")
    elif isinstance(widget, forms.DateInput):
        widget.input_type = "date"
        widget.format = DATE_INPUT_FORMAT
        _add_class(widget, "govuk-input", "govuk-input--width-10")
    elif isinstance(widget, Input):
        _add_class(widget, "govuk-input")
    return widget


def _replace_choice_widget(widget, govuk_class):
    """The GOV.UK version of a radio or checkbox widget, keeping its attrs and choices."""
    if isinstance(widget, govuk_class):
        return widget
    replacement = govuk_class(attrs=widget.attrs, choices=widget.choices)
    replacement.is_required = widget.is_required
    return replacement


def _option_id(id_, index, default_id_for_label):
    # GOV.UK gives the first option the field's own id and numbers the rest.
    if index in ("0", "0_0"):
        return id_
    return default_id_for_label(id_, index)


def _add_class(widget: forms.Widget, *names: str) -> None:
    """Put the GOV.UK classes first, keeping any classes the form already gave the widget."""
    existing = _class_list(widget.attrs.get("class"))
    widget.attrs["class"] = " ".join(_merge_classes(list(names), existing))


def _class_list(value: str | None) -> list[str]:
    return (value or "").split()


def _merge_classes(first: list[str], then: list[str]) -> list[str]:
    return list(dict.fromkeys([*first, *then]))
