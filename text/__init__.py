"""Text rules every layer shares: words, stop words, stems, Markdown line shapes, question parts.

The bottom layer: it imports nothing from the project. One definition per rule; where two layers need
different behaviour the variants sit side by side here under their own names (e.g. ``content_words`` for
search and ``answer_words`` for answer-checking).

- :mod:`text.words`: word patterns, stop-word lists, content words, normalising.
- :mod:`text.stems`: Snowball stems of words and of a text's content words.
- :mod:`text.lines`: Markdown line shapes (code fences, bullets, numbered items) and wrapped sentences.
- :mod:`text.questions`: the parts a question asks, comparison sides, name initials.
"""
