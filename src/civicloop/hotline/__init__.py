"""hotline — the two-way 12345 exchange: work orders in (an import kind), replies out (an export and a feed)."""
