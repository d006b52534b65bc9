"""The thin Faust layer: builds the app, creates the topics, runs the enrichment agent.

Business logic stays outside: decoding and dead-lettering are pure functions in
:mod:`stancewire.stream.records`, enrichment is :mod:`stancewire.nlp` (run in a child process by
:mod:`stancewire.stream.enrichment`), event envelopes come from :mod:`stancewire.pipeline`.
"""
