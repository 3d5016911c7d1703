"""Swedish text handling: normalising, tokenising, stopwords, abbreviations, stems and compounds
(`text`), the feature vectors the mapper and the clusterer read (`features`), and the candidate phrases
theme titles are made of (`phrases`). Uses only the standard library, NLTK's Snowball stemmer and the
word lists shipped in `nlp/data/`."""
