"""Monitoring exports: the service levels an agreement promises as OpenSLO, Sloth and Prometheus files.

:mod:`.window` says over what period each KPI is measured (one function, :func:`.window.window_of`);
:mod:`.objectives` turns an agreement into neutral :class:`.objectives.Objective` records, one per
exported KPI; :mod:`.openslo`, :mod:`.sloth` and :mod:`.prometheus` write them in each format, and
:mod:`.yamltext` writes YAML the same way on every run.
"""
