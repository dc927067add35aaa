import pytest


@pytest.fixture(autouse=True)
def _default_rules(db):
    """The starting rules come from a data migration; a test elsewhere that commits and flushes
    empties the table, so put them back for these tests."""
    from csafe.retention.defaults import load_default_hold_rule, load_default_rules
    from csafe.retention.models import LegalHoldRule, RetentionRule
    from harms.models import HarmType

    load_default_rules(RetentionRule)
    load_default_hold_rule(LegalHoldRule, HarmType)


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    """Documents stored by these tests go to a directory of their own."""
    settings.MEDIA_ROOT = tmp_path
