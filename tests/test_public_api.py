import sys
import types

import dyad


def test_public_api_all_is_sorted_and_complete():
    public = [
        name
        for name, value in vars(dyad).items()
        if (not name.startswith("_") or name == "__version__")
        and not isinstance(value, types.ModuleType)
        and f"dyad.{name}" not in sys.modules
    ]
    assert sorted(dyad.__all__, key=str.casefold) == sorted(public, key=str.casefold)
    assert dyad.__all__ == sorted(dyad.__all__, key=str.casefold)


def test_errors_share_one_root():
    for name in ("InputError", "DictionaryError", "StoreError", "ModelError", "QueryError"):
        assert issubclass(getattr(dyad, name), dyad.DyadError)
