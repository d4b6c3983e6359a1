"""Distribution by e-mail: the recipients list, the journal of deliveries, SMTP sending."""
