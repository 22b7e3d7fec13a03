"""Bulk import of model registrations from a filled XLSX template.

A submitter downloads the template, fills one registration per row and uploads it.
The upload is checked for being a readable workbook at once; an rq job then
validates every row with the registration form's own schema, moving a progress
bar as it goes, and either creates every row as a draft (or submits each) in one
transaction, or writes nothing and reports every bad row with its reason.
"""
