"""Text rules: PDF repair, chapters, sentences and chunks, French normalisation, the
lexicon, and the spoken text one engine gets."""
