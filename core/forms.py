"""Form fields shared by the apps' public forms."""

from django import forms

# Primary keys are 64-bit signed integers on every database we run; a larger number in a query
# string or form value would overflow in the database driver (a 500 on SQLite) before any
# lookup could say "no such object".
MAX_ID = 2**63 - 1


def parse_ids(values) -> list[int]:
    """The values that are whole numbers a primary key can hold, as ints; the rest dropped."""
    ids = []
    for value in values:
        text = str(value).strip()
        if text.lstrip("-").isdigit() and len(text) <= 20 and abs(int(text)) <= MAX_ID:
            ids.append(int(text))
    return ids


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ``ModelMultipleChoiceField`` whose ids are checked for range before the query."""

    def _check_values(self, value):
        for pk in value:
            if len(parse_ids([pk])) != 1:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:40]},
                )
        return super()._check_values(value)


class IdChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` whose id is checked for range before the query."""

    def to_python(self, value):
        if value not in self.empty_values and len(parse_ids([value])) != 1:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)
