"""The organiser's back office: the admin site itself (dashboard home, technical sections for
administrators only, dates in the series' zone), and the small endpoints its scripts call."""
