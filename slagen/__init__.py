"""slagen: Service Level Agreements from a YAML questionnaire, in German and English, as DOCX and Markdown."""

__version__ = "0.1.0"
