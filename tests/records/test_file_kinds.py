"""What a record's file table says a file is: the format's name, never its content type
(a tester read "application/json" in the table of a record filed with a JSON file)."""

import pytest
from django.conf import settings

from records.display import file_kind


@pytest.mark.parametrize("content_type", sorted(settings.SAPA_RECORD_ALLOWED_TYPES))
def test_every_accepted_file_is_named_by_its_format(content_type):
    name = file_kind(content_type)
    assert name and "/" not in name, f"{content_type} is shown as {name!r}"


def test_a_type_not_accepted_is_still_shown_as_it_is():
    assert file_kind("application/x-unknown") == "application/x-unknown"
