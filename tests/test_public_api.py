import dyad


def test_public_api_all_is_sorted_and_complete():
    public = [name for name in vars(dyad) if not name.startswith("_") or name == "__version__"]
    modules = {
        "api",
        "errors",
        "types",
        "readers",
        "store",
        "pipeline",
        "coding",
        "actors",
        "nlp",
        "tsv",
        "output",
    }
    exported = sorted((n for n in public if n not in modules), key=str.casefold)
    assert sorted(dyad.__all__, key=str.casefold) == exported
    assert dyad.__all__ == sorted(dyad.__all__, key=str.casefold)


def test_errors_share_one_root():
    for name in ("InputError", "DictionaryError", "StoreError", "ModelError", "QueryError"):
        assert issubclass(getattr(dyad, name), dyad.DyadError)
