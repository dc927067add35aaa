"""Reporting keeps no rows of its own: its figures are read from the record, and its exports are
jobs of csafe.exports. It holds one permission, which needs a model to hang on."""

from __future__ import annotations

from csafe.exports.models import ExportJob


class CensusExport(ExportJob):
    """Export jobs as reporting sees them; a proxy, with no table or rows of its own. It holds
    ``reporting.download_census_return``, which an administrator gives a service manager (the
    authority's census lead) so that they may download the CIN census files, which identify
    children (reporting/permissions.py reads it)."""

    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [
            (
                "download_census_return",
                "Can download the CIN census return, which identifies children",
            )
        ]
