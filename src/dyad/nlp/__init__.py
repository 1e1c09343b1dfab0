"""The spaCy boundary: model loading per language. A ``Doc`` never leaves nlp/ and coding/."""
