"""Message areas: each module defines EN and ZH dicts with the same keys."""
