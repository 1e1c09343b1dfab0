"""Event coding: parsed sentences + actors -> ``Event`` records (CAMEO, PLOVER, Goldstein)."""
