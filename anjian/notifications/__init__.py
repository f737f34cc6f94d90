"""Notifications (issue 6 item 5): an in-app inbox per person, and outbound e-mail and SMS deliveries."""
