"""Service-level clocks in Indonesian working days: deadlines, reminders, escalation, figures."""
