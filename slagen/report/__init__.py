"""The service-level report of one period: what the contract owes, computed from measured data.

Pure functions from the resolved service levels (:mod:`slagen.resolve`), the answers, the measured
records (:mod:`slagen.measured.records`) and the results of earlier periods to a :class:`~slagen.report.model.Report`;
every figure in ``Decimal``, every formula with its numbers so that a reader with a calculator can check it.
The writers (``markdown``, ``jsondoc``, ``docx``) turn a report into files; ``slagen report`` runs it.
"""
