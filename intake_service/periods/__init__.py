"""Reporting periods (kỳ báo cáo), their deadlines, what each unit owes, and reminders.

An administrator opens a period (first half year, full year, ...) saying what is
due — model registrations, result reports or both — from an opening day to a
deadline. Each unit submitter sees what it owes; reviewers see who in their
area is late or missing; an rq job reminds units before and after the deadline.
"""
