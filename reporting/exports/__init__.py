"""Reporting's exports: the drill-down's list of young people and the CIN census return's two
files, each an ExportSource of csafe.exports, registered by ReportingConfig.ready."""
