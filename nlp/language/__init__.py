"""Swedish text handling: normalising, tokenising, stopwords, abbreviations, stems and compounds
(`text`), a batch of notes as one count matrix of their word forms (`words`), the feature vectors
the mapper and the clusterer read (`features`), and the candidate phrases theme titles are made of
(`phrases`). Uses only the standard library, NLTK's Snowball stemmer, NumPy and SciPy, and the word
lists shipped in `nlp/data/`."""
