"""In-app notifications, and their emails: each a text key and its parameters, told to one user.

Features leave a user a notification with ``services.tell`` — the periods' deadline reminders,
review's overdue items and inspections (``overdue``), what review made of a model. The user
reads them on a page and through the JSON API, in the language chosen when reading, and marks
them read; a scheduled job emails review's news to those with an address.
"""
