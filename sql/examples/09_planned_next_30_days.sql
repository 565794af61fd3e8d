-- Planned meetings in the next 30 days, including those known only to the week or month ("next week"):
-- their date window overlaps the coming 30 days.
SELECT event_date, date_precision, date_from, date_to, mode, participants, location, first_reported_at, evidence
FROM v_events
WHERE status = 'planned' AND date_from <= current_date + INTERVAL 30 DAY AND date_to >= current_date
ORDER BY date_from;
