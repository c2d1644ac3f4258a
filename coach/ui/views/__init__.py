"""What a page draws from a report: the report view, key figures, timeline, transcript,
script diff, take comparison, calling-block cost, and the page chrome (theme)."""
