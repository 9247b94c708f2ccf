"""Importers that turn controlled QMS documents (text, PDF) into structured data."""
