-- Planned meetings in the next 30 days (with a known date), newest report first.
SELECT event_date, date_precision, mode, participants, location, first_reported_at, evidence
FROM v_events
WHERE status = 'planned' AND event_date BETWEEN current_date AND current_date + INTERVAL 30 DAY
ORDER BY event_date;
