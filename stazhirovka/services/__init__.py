"""What the program does — validate, query, decide — with no Qt. The caller owns the session."""
