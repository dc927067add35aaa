import pytest


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    """Documents stored by these tests go to a directory of their own."""
    settings.MEDIA_ROOT = tmp_path
