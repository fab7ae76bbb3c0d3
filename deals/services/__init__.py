"""Every write to negotiations and deals. Views, consumers and the payments app call these."""
