-- 006: the window an event's date can mean: the day itself, the whole month or year, or what the text says
-- ("next week" -> that Monday to Sunday, "later this month" -> publication day to month end). NULL when undated.
-- Answers "what is planned next week" for dates known only to the week or month.
ALTER TABLE events ADD COLUMN IF NOT EXISTS date_from DATE;
ALTER TABLE events ADD COLUMN IF NOT EXISTS date_to DATE;
